#pragma once
// Runs one program for a command hook without blocking the caller's thread: posix_spawn (no
// shell), the input written to its standard input and its output read back over Unix socket
// pairs driven by Asio (a socket, unlike a pipe, reports a child that stopped reading as an
// error instead of raising SIGPIPE), a time limit enforced by killing its process group.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "engine/cancel_token.hpp"

namespace aop::engine {

struct CommandResult {
  std::string error;      // it could not be started ("cannot start ...": not found, not executable)
  bool timed_out = false;  // killed at the time limit
  int exit_code = -1;     // when it exited
  int signal = 0;         // when a signal ended it
  std::string out;        // standard output, at most k_max_command_output bytes
  bool out_truncated = false;
  std::string err;  // the start of standard error, for messages
};

inline constexpr std::size_t k_max_command_output = 1024 * 1024;

// `argv[0]` without a '/' is looked up on PATH. The program gets a small fixed environment
// (PATH, LANG), not the server's: that holds secrets. Throws Cancelled (after killing the
// program) when `cancel` fires.
boost::asio::awaitable<CommandResult> run_command(const std::vector<std::string>& argv, const std::string& input,
                                                  std::chrono::milliseconds timeout,
                                                  const std::shared_ptr<CancelToken>& cancel);

}  // namespace aop::engine
