#include "store/sqlite/sqlite_database.hpp"

#include <filesystem>
#include <system_error>

namespace aop::store {

SqliteTarget parse_sqlite_url(std::string_view url) {
  constexpr std::string_view scheme = "sqlite://";
  std::string prefix(url.substr(0, scheme.size()));
  for (char& c : prefix)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (prefix != scheme)
    throw std::invalid_argument("database_url: expected sqlite://<path>, got \"" +
                                std::string(url) + "\"");
  std::string_view path = url.substr(scheme.size());
  if (path.empty() || path == "/")
    throw std::invalid_argument(
        "database_url: sqlite:// needs a file path, e.g. "
        "sqlite:///var/lib/aop/aop.db or sqlite://data/aop.db");
  if (path == ":memory:") return {":memory:", true};
  return {std::string(path), false};
}

namespace {

void create_parent_directories(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    throw DatabaseError("sqlite: cannot create directory \"" + parent.string() +
                        "\": " + ec.message());
}

// Clears the owner mark when a writer lock is released.
struct OwnerReset {
  std::atomic<std::thread::id>& owner;
  ~OwnerReset() { owner.store(std::thread::id()); }
};

}  // namespace

SqliteDatabase::SqliteDatabase(const SqliteTarget& target, core::BlockingPool& pool,
                               const DatabaseOptions& options)
    : Database(pool), target_(target), options_(options) {
  if (!target_.memory) create_parent_directories(target_.path);
  // The writer opens first so the file exists in WAL mode before any reader attaches.
  writer_ = std::make_unique<SqliteConnection>(target_.path, options_, false);
  if (!target_.memory) {
    readers_.emplace(
        options_.pool_size,
        [this] { return std::make_unique<SqliteConnection>(target_.path, options_, true); },
        nullptr,
        // A reader left inside a transaction would pin an old snapshot: drop it instead.
        [](SqliteConnection& c) { return !c.in_transaction(); });
  }
}

SqliteDatabase::~SqliteDatabase() = default;

PoolStats SqliteDatabase::stats() const {
  PoolStats s = readers_ ? readers_->stats() : PoolStats{};
  s.size += 1;  // the writer
  if (writer_owner_.load() != std::thread::id()) s.in_use += 1;
  return s;
}

std::unique_lock<std::mutex> SqliteDatabase::lock_writer(const char* caller) {
  if (writer_owner_.load() == std::this_thread::get_id())
    throw DatabaseError(std::string("sqlite: ") + caller +
                        " called while this thread already holds the writer connection "
                        "(nested database calls would deadlock)");
  std::unique_lock lock(writer_mutex_);
  writer_owner_.store(std::this_thread::get_id());
  return lock;
}

void SqliteDatabase::with_reader(const std::function<void(Connection&)>& fn) {
  if (readers_) {
    auto conn = readers_->acquire();
    fn(*conn);
    return;
  }
  auto lock = lock_writer("with_reader");
  OwnerReset reset{writer_owner_};
  fn(*writer_);
}

void SqliteDatabase::with_transaction(const std::function<void(Connection&)>& fn) {
  auto lock = lock_writer("with_transaction");
  OwnerReset reset{writer_owner_};
  // IMMEDIATE takes the write lock up front, so another process cannot make the
  // transaction fail half-way with SQLITE_BUSY on its first write.
  writer_->execute_script("BEGIN IMMEDIATE");
  try {
    fn(*writer_);
    writer_->execute_script("COMMIT");
  } catch (...) {
    // Some errors (e.g. SQLITE_FULL) already rolled back; only roll back what is open.
    if (writer_->in_transaction()) {
      try {
        writer_->execute_script("ROLLBACK");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace aop::store
