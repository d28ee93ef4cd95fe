#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <pqxx/connection>

#include "core/error.hpp"
#include "store/postgres/conninfo.hpp"

namespace ec2m::store::pg {

// At most `size` libpqxx connections to one server, opened on first need and reused. A caller
// borrows one for the length of a Run(); when all are borrowed, Run() waits for one to come back.
// An idle connection the server has ended (a restart, pg_terminate_backend, an idle timeout) is
// noticed when it is taken and replaced by a new one before use; one that breaks during a call
// fails that call (kUnavailable) and is replaced on the next.
//
// Owns the connections. Thread-safe: the idle list and the count of borrowed connections sit
// behind one mutex; a borrowed connection is used by one thread only. Must outlive every Run().
class ConnectionPool {
 public:
  // Called on every new connection before its first use (to register prepared statements).
  using Setup = std::function<void(pqxx::connection&)>;

  // REQUIRES: size >= 1.
  ConnectionPool(ConnInfo info, size_t size, Setup setup);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // Runs `fn` on a borrowed connection; whatever `fn` throws is mapped by ErrorFrom() with `what`.
  // Errors: kUnavailable when no connection can be opened (naming the server, never the
  // password); `fn`'s errors.
  Result<void> Run(std::string_view what, const std::function<void(pqxx::connection&)>& fn);

  const ConnInfo& info() const { return info_; }

 private:
  // Waits for a free slot and takes it, with an idle connection when there is one (else null).
  std::unique_ptr<pqxx::connection> Take();
  // Frees the slot; an open connection goes back to the idle list, a null or closed one is dropped.
  void Give(std::unique_ptr<pqxx::connection> conn);
  Result<std::unique_ptr<pqxx::connection>> Connect();

  const ConnInfo info_;
  const size_t size_;
  const Setup setup_;
  std::mutex mu_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // guarded by mu_
  size_t borrowed_ = 0;                                  // guarded by mu_
};

}  // namespace ec2m::store::pg
