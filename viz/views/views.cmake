# views.cmake - the panels library (viz/views/*.cpp): free functions drawing a Scene with Dear ImGui,
# no GL, no window. Included by viz/CMakeLists.txt (the app) and tests/viz (the panel tests);
# guarded so whichever includes it first defines it.
if(NOT TARGET smtpsim_viz_views)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  file(GLOB _views_src CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/viz/views/*.cpp)
  add_library(smtpsim_viz_views STATIC ${_views_src})
  target_include_directories(smtpsim_viz_views PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(smtpsim_viz_views PUBLIC PkgConfig::IMGUI sim_core sim_smtp sim_pop3)
endif()
