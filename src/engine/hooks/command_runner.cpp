#include "engine/hooks/command_runner.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace aop::engine {

namespace asio = boost::asio;
using boost::system::error_code;
using Socket = asio::local::stream_protocol::socket;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::size_t k_max_error_text = 4096;

// The program's process, shared with the cancel callback (which may run on another thread):
// the group is killed only while the process has not been reaped, so a reused id is never hit.
struct Child {
  pid_t pid = 0;
  std::mutex mutex;
  bool reaped = false;
  int status = 0;

  void kill_group() {
    std::lock_guard lock(mutex);
    if (!reaped) ::kill(-pid, SIGKILL);
  }
  // True once the process has ended (and been reaped).
  bool reap(bool block) {
    std::lock_guard lock(mutex);
    if (reaped) return true;
    pid_t r;
    do r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == pid || (r < 0 && errno == ECHILD)) reaped = true;  // ECHILD: someone else reaped it
    if (r < 0) status = -1;
    return reaped;
  }
};

struct Fds {
  int ours = -1;
  int theirs = -1;
  ~Fds() {
    if (ours >= 0) ::close(ours);
    if (theirs >= 0) ::close(theirs);
  }
  bool open() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
    ours = fds[0];
    theirs = fds[1];
    return true;
  }
  // Hands our end to Asio.
  void give(Socket& socket) {
    socket.assign(asio::local::stream_protocol(), ours);
    ours = -1;
  }
};

asio::awaitable<void> feed(Socket& socket, const std::string& input) {
  error_code ec;
  co_await asio::async_write(socket, asio::buffer(input), asio::redirect_error(asio::use_awaitable, ec));
  socket.shutdown(Socket::shutdown_send, ec);  // end of input for the program (EPIPE when it did not read: fine)
  socket.close(ec);
}

asio::awaitable<void> drain(Socket& socket, std::string& into, std::size_t cap, bool& truncated) {
  std::array<char, 16384> buffer;
  for (;;) {
    error_code ec;
    auto n = co_await socket.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    std::size_t keep = std::min(n, cap - std::min(cap, into.size()));
    into.append(buffer.data(), keep);
    if (keep < n) truncated = true;  // read on to the end so the program is not stuck writing
    if (ec) co_return;
  }
}

asio::awaitable<void> exchange(Socket& in, Socket& out, Socket& err, const std::string& input, CommandResult& r) {
  using namespace asio::experimental::awaitable_operators;
  bool err_truncated = false;
  // Made in its own statement: no non-trivial temporary inside the co_await (GCC 12).
  auto all = feed(in, input) && drain(out, r.out, k_max_command_output, r.out_truncated) &&
             drain(err, r.err, k_max_error_text, err_truncated);
  co_await std::move(all);
}

asio::awaitable<void> expire(asio::steady_timer& timer) {
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Starts the program; its pid, or 0 with `error` set.
pid_t spawn(const std::vector<std::string>& argv, int in, int out, int err, std::string& error) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_adddup2(&actions, in, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  // Nothing else of the server's (listening sockets, database connections) goes along.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // Its own process group (so a time limit kills what it started too), default signal
  // handling and no blocked signals whatever the server uses.
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::array<std::string, 2> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"};
  std::array<char*, 3> envp = {env[0].data(), env[1].data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    error = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return 0;
  }
  return pid;
}

}  // namespace

asio::awaitable<CommandResult> run_command(const std::vector<std::string>& argv, const std::string& input,
                                           std::chrono::milliseconds timeout,
                                           const std::shared_ptr<CancelToken>& cancel) {
  CommandResult r;
  if (argv.empty()) {
    r.error = "no program to run";
    co_return r;
  }
  if (cancel && cancel->cancelled()) throw Cancelled();
  const auto deadline = SteadyClock::now() + timeout;
  Fds in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    r.error = std::string("cannot create the program's pipes: ") + std::strerror(errno);
    co_return r;
  }
  auto child = std::make_shared<Child>();
  child->pid = spawn(argv, in.theirs, out.theirs, err.theirs, r.error);
  for (Fds* f : {&in, &out, &err}) {
    ::close(f->theirs);
    f->theirs = -1;
  }
  if (!child->pid) co_return r;

  auto executor = co_await asio::this_coro::executor;
  Socket in_socket(executor), out_socket(executor), err_socket(executor);
  in.give(in_socket);
  out.give(out_socket);
  err.give(err_socket);
  auto registration = CancelToken::on_cancel(cancel, [child] { child->kill_group(); });

  {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(executor, deadline);
    auto race = exchange(in_socket, out_socket, err_socket, input, r) || expire(timer);
    auto first = co_await std::move(race);
    if (first.index() == 1) {
      r.timed_out = true;
      child->kill_group();
    }
  }
  // Output is over; wait for the exit itself, still within the time limit.
  asio::steady_timer poll(executor);
  auto delay = std::chrono::milliseconds(1);
  while (!child->reap(false)) {
    if (SteadyClock::now() >= deadline) {
      r.timed_out = true;
      child->kill_group();
      child->reap(true);  // prompt after SIGKILL
      break;
    }
    poll.expires_after(std::min<SteadyClock::duration>(delay, deadline - SteadyClock::now()));
    error_code ec;
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    delay = std::min(delay * 2, std::chrono::milliseconds(50));
  }
  if (child->status >= 0) {
    if (WIFEXITED(child->status)) r.exit_code = WEXITSTATUS(child->status);
    else if (WIFSIGNALED(child->status)) r.signal = WTERMSIG(child->status);
  }
  if (cancel && cancel->cancelled()) throw Cancelled();
  co_return r;
}

}  // namespace aop::engine
