#pragma once
// Runs engine coroutines to completion in unit tests.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace aop::test {

// Runs `work` on a fresh io_context until it finishes; rethrows its exception.
template <class T>
T run_to_completion(boost::asio::awaitable<T> work) {
  boost::asio::io_context context;
  auto future = boost::asio::co_spawn(context, std::move(work), boost::asio::use_future);
  context.run();
  return future.get();
}

}  // namespace aop::test
