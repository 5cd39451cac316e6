# CMakeLists_views.cmake - test_viz_views: every panel drawn from hand-built Scenes in an ImGui
# context without GL (simulated mouse input, asserted Requests and positions). Included from
# tests/CMakeLists.txt when the visualizer is built.
include(${CMAKE_SOURCE_DIR}/viz/views/views.cmake)
file(GLOB _views_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/views_*_test.cpp ${CMAKE_CURRENT_LIST_DIR}/views_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/views_raster.cpp)
add_executable(test_viz_views ${_views_tests})
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
target_link_libraries(test_viz_views PRIVATE smtpsim_viz_views PkgConfig::STB Catch2::Catch2WithMain)
target_compile_definitions(test_viz_views PRIVATE SMTPSIM_BINARY_DIR="${CMAKE_BINARY_DIR}")
target_include_directories(test_viz_views PRIVATE ${CMAKE_SOURCE_DIR}/tests)
catch_discover_tests(test_viz_views TEST_PREFIX "viz views: " PROPERTIES TIMEOUT 120)
