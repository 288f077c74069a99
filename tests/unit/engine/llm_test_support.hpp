#pragma once
// Helpers for the LLM tests: run a coroutine to completion, catch the LlmError it throws.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "engine/llm/llm_types.hpp"

namespace aop::test {

// Runs `op` on a fresh io_context on this thread until it finishes; rethrows its exception.
template <class T>
T run_coroutine(boost::asio::awaitable<T> op) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, std::move(op), boost::asio::use_future);
  io.run();
  return future.get();
}

// The LlmError `op` ends with, or nullopt (and a test failure) when it succeeds or throws
// something else.
template <class T>
std::optional<engine::llm::LlmError> llm_error_of(boost::asio::awaitable<T> op) {
  try {
    run_coroutine(std::move(op));
    ADD_FAILURE() << "expected an LlmError, the call succeeded";
  } catch (const engine::llm::LlmError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected an LlmError, got: " << e.what();
  }
  return std::nullopt;
}

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace aop::test
