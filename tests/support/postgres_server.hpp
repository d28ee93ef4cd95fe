#pragma once

#include <sys/types.h>

#include <atomic>
#include <string>
#include <vector>

#include "support/subprocess.hpp"

namespace ec2m::testing {

// Debian's PostgreSQL server, started for tests: initdb into a fresh temp dir, then `postgres` on
// a free 127.0.0.1 port (its unix socket in the temp dir, fsync off), with a database "ec2m".
// The binaries come from /usr/lib/postgresql/<newest>/bin. PostgreSQL refuses to run as root, so
// as root both run as the `postgres` system user, which then owns the temp dir.
//
// The server is a child of the thread that called Start() and gets SIGINT (a fast shutdown) if
// that thread dies, so even a crashed test binary leaves no server behind. The destructor stops
// it and removes the temp dir. Start() and the destructor belong to one thread (the main thread);
// Sql() and CreateSchema() may be called from any thread once Start() succeeded.
class PostgresServer {
 public:
  // The outcome of one SQL statement: the first column of every row, as text (NULL as "").
  struct SqlResult {
    bool ok = false;
    std::vector<std::string> column;
    std::string error;  // what failed, when !ok
  };

  // A schema of its own in database "ec2m", and a URI whose connections see only that schema
  // (search_path), so a test starts from an empty database at the cost of a CREATE SCHEMA.
  struct Schema {
    std::string name;  // empty when it could not be created; see `error`
    std::string uri;   // postgresql://postgres@127.0.0.1:PORT/ec2m?options=-csearch_path%3DNAME
    std::string error;
  };

  // The database Start() creates; Sql() and CreateSchema() work in it.
  static constexpr const char* kDatabase = "ec2m";

  PostgresServer() = default;
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

  // Runs initdb, starts the server, waits until it accepts connections (polling PQping, never a
  // fixed sleep) and creates database "ec2m". False with the reason in error(), including the
  // end of the server's log when it exited.
  bool Start();

  // The one server of this test binary, started on the first call (make it from the main thread).
  // Check running(); error() says why it is not.
  static PostgresServer& Shared();

  bool running() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // postgresql://postgres@127.0.0.1:PORT/DATABASE (authentication is `trust`: no password).
  std::string Uri(const std::string& database = kDatabase) const;

  // Runs `sql` (one or more statements) as the superuser in database "ec2m".
  SqlResult Sql(const std::string& sql) const;

  // A new empty schema s1, s2, ... in database "ec2m".
  Schema CreateSchema();

 private:
  bool StartOn(const std::string& bin_dir, bool as_root, bool* port_taken);
  bool WaitUntilReady(bool* port_taken);
  void Stop();
  std::string Log() const;

  TempDir dir_;  // destroyed after Stop() ran in the destructor
  pid_t pid_ = -1;
  int port_ = 0;
  std::atomic<int> schemas_{0};
  std::string error_;
};

}  // namespace ec2m::testing
