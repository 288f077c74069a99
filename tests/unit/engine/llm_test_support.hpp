#pragma once
// Helpers for the LLM tests: run a coroutine to completion, catch the LlmError it throws.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>


#include "engine/llm/llm_types.hpp"
#include "engine_test_support.hpp"

namespace aop::test {

// Runs `op` on a fresh io_context on this thread until it finishes; rethrows its exception.
template <class T>
T run_coroutine(boost::asio::awaitable<T> op) {
  return run_to_completion(std::move(op));
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
