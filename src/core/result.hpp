#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "core/check.hpp"

namespace ec2m {

// The failure side of a Result, as std::unexpected. (std::expected itself is not usable: clang 14,
// which runs clang-tidy and the fuzzers, cannot compile libstdc++ 12's <expected>.)
template <typename E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  E& error() & { return error_; }
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

// A value or an error: the subset of std::expected<T, E> that ec2m uses (has_value, operator
// bool, value, operator*, operator->, error). Accessing the wrong side is a programmer error.
template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  // Implicit on purpose, as std::expected: `return value;` and `return Fail(...);`.
  template <typename U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Expected> &&
           !std::is_same_v<std::remove_cvref_t<U>, Unexpected<E>>)
      // NOLINTNEXTLINE(google-explicit-constructor,bugprone-forwarding-reference-overload)
      Expected(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Expected(Unexpected<E> u) : v_(std::in_place_index<1>, std::move(u).error()) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    EC2M_CHECK(has_value(), "value() of a failed Result");
    return std::get<0>(v_);
  }
  const T& value() const& {
    EC2M_CHECK(has_value(), "value() of a failed Result");
    return std::get<0>(v_);
  }
  T&& value() && {
    EC2M_CHECK(has_value(), "value() of a failed Result");
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & {
    EC2M_CHECK(!has_value(), "error() of a successful Result");
    return std::get<1>(v_);
  }
  const E& error() const& {
    EC2M_CHECK(!has_value(), "error() of a successful Result");
    return std::get<1>(v_);
  }
  E&& error() && {
    EC2M_CHECK(!has_value(), "error() of a successful Result");
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, E> v_;
};

template <typename E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  // NOLINTNEXTLINE(google-explicit-constructor)
  Expected(Unexpected<E> u) : error_(std::move(u).error()), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  void value() const { EC2M_CHECK(has_value(), "value() of a failed Result"); }

  E& error() & {
    EC2M_CHECK(failed_, "error() of a successful Result");
    return error_;
  }
  const E& error() const& {
    EC2M_CHECK(failed_, "error() of a successful Result");
    return error_;
  }
  E&& error() && {
    EC2M_CHECK(failed_, "error() of a successful Result");
    return std::move(error_);
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace ec2m
