// callback.hpp - a move-only void() callable with inline storage, the scheduler's event type.
#pragma once
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace smtpsim {

class Callback {
 public:
  static constexpr std::size_t kInline = 48;

  Callback() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Callback>>>
  Callback(F&& f) {  // NOLINT: implicit from any callable, like std::function
    using T = std::decay_t<F>;
    if constexpr (sizeof(T) <= kInline && alignof(T) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<T>) {
      new (buf_) T(std::forward<F>(f));
      ops_ = &inline_ops<T>;
    } else {
      *reinterpret_cast<T**>(buf_) = new T(std::forward<F>(f));
      ops_ = &heap_ops<T>;
    }
  }
  Callback(Callback&& o) noexcept { take(o); }
  Callback& operator=(Callback&& o) noexcept {
    if (this != &o) { reset(); take(o); }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(buf_); }
  // reset - destroy the held callable, leaving the callback empty.
  void reset() {
    if (ops_) {
      if (ops_->destroy) ops_->destroy(buf_);
      ops_ = nullptr;
    }
  }

 private:
  // Ops - how to call, move and destroy the held callable. move/destroy are null when a plain byte
  // copy / nothing will do (trivially copyable / destructible callables, and the heap pointer), so
  // the scheduler's hot path moves small captures without an indirect call.
  struct Ops {
    void (*call)(void*);
    void (*move)(void* dst, void* src);
    void (*destroy)(void*);
  };
  template <class T>
  static constexpr Ops inline_ops = {
      [](void* p) { (*static_cast<T*>(p))(); },
      std::is_trivially_copyable_v<T>
          ? nullptr
          : +[](void* d, void* s) { new (d) T(std::move(*static_cast<T*>(s))); static_cast<T*>(s)->~T(); },
      std::is_trivially_destructible_v<T> ? nullptr : +[](void* p) { static_cast<T*>(p)->~T(); }};
  template <class T>
  static constexpr Ops heap_ops = {
      [](void* p) { (**static_cast<T**>(p))(); },
      nullptr,  // the buffer holds just a T*: copying the bytes moves it
      [](void* p) { delete *static_cast<T**>(p); }};

  void take(Callback& o) {
    if (!o.ops_) return;
    if (o.ops_->move) o.ops_->move(buf_, o.buf_);
    else std::memcpy(buf_, o.buf_, kInline);
    ops_ = o.ops_;
    o.ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buf_[kInline];
  const Ops* ops_ = nullptr;
};

}  // namespace smtpsim
