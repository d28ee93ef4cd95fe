#include "store/postgres/connection_pool.hpp"

#include <poll.h>

#include <pqxx/connection>

#include <utility>

#include "core/check.hpp"
#include "store/postgres/errors.hpp"

namespace ec2m::store::pg {

namespace {

// Whether an idle connection is still worth using. Such a connection never LISTENs, so the
// server sends it nothing unasked except when it ends the session (a restart,
// pg_terminate_backend, an idle timeout: the reason, then end of file) or, rarely, a changed
// setting. Anything to read means a new connection, made before the call instead of failing it.
// Not sending on a closed connection also keeps clear of libpqxx 6.4 leaking that statement's
// result (make_result() throws on the closed connection before it owns the result).
bool StillOpen(const pqxx::connection& conn) {
  if (!conn.is_open()) {
    return false;
  }
  pollfd fd{conn.sock(), POLLIN, 0};
  return poll(&fd, 1, 0) == 0;
}

}  // namespace

ConnectionPool::ConnectionPool(ConnInfo info, size_t size, Setup setup)
    : info_(std::move(info)), size_(size), setup_(std::move(setup)) {
  EC2M_CHECK(size_ >= 1, "a connection pool needs at least one connection");
}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::Take() {
  std::unique_lock lock(mu_);
  slot_freed_.wait(lock, [this] { return borrowed_ < size_; });
  ++borrowed_;
  if (idle_.empty()) {
    return nullptr;
  }
  auto conn = std::move(idle_.back());
  idle_.pop_back();
  return conn;
}

void ConnectionPool::Give(std::unique_ptr<pqxx::connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn != nullptr && conn->is_open()) {
      idle_.push_back(std::move(conn));
    }
    --borrowed_;
  }
  slot_freed_.notify_one();
  // A dropped connection closes here, outside the lock.
}

Result<std::unique_ptr<pqxx::connection>> ConnectionPool::Connect() {
  std::unique_ptr<pqxx::connection> conn;
  auto opened = Guard(info_, "connect", [&] {
    conn = std::make_unique<pqxx::connection>(info_.conninfo());
    setup_(*conn);
  });
  if (!opened) {
    return Fail(std::move(opened).error());
  }
  return conn;
}

Result<void> ConnectionPool::Run(std::string_view what,
                                 const std::function<void(pqxx::connection&)>& fn) {
  std::unique_ptr<pqxx::connection> conn = Take();
  if (conn == nullptr || !StillOpen(*conn)) {
    auto opened = Connect();
    if (!opened) {
      Give(nullptr);
      return Fail(std::move(opened).error());
    }
    conn = std::move(*opened);
  }
  // Give() drops the connection if it broke during `fn`, so the next call gets a new one.
  auto done = Guard(info_, what, [&] { fn(*conn); });
  Give(std::move(conn));
  return done;
}

}  // namespace ec2m::store::pg
