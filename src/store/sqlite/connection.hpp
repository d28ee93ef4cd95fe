#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace ec2m::store {

class Connection;

// A cached prepared statement borrowed from a Connection for one use: bind, step, read columns.
// Destruction resets the statement and clears its bindings so the next borrower starts clean.
// Column views stay valid until the next Step() or destruction. Not thread-safe; lives no longer
// than the Connection it came from.
class Statement {
 public:
  Statement(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based). The bytes must outlive the next Step().
  // Errors: kInvalidArgument when the index is out of range, kUnavailable when out of memory.
  Result<void> BindText(int index, std::string_view text);
  Result<void> BindBlob(int index, std::string_view bytes);
  Result<void> BindInt(int index, int64_t value);

  // Advances: true when a row is ready, false when done. Errors map the sqlite code (a
  // constraint violation is kInvalidArgument, a busy database kUnavailable); the message names the
  // store path and `what`.
  Result<bool> Step(std::string_view what);

  // Column `index` (0-based) of the current row; empty for NULL.
  std::string_view ColumnText(int index) const;
  std::string_view ColumnBlob(int index) const;
  int64_t ColumnInt(int index) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
};

// One open SQLite database handle with its prepared-statement cache. Open() configures the
// connection (WAL, synchronous=NORMAL, foreign keys, busy timeout); migrations and queries are the
// caller's. Owns the handle and the cached statements and closes them on destruction.
// Not thread-safe: the owner serializes every call (SqliteStore holds one mutex).
class Connection {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory database; the
  // parent directory must exist). Errors: kUnavailable naming the path and sqlite's message when
  // the file cannot be opened or configured, kFailedPrecondition when it is not a database.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more ';'-separated statements, discarding any rows. Errors as Statement::Step.
  Result<void> Exec(std::string_view sql, std::string_view what);

  // The cached statement for `sql`, prepared on first use. REQUIRES: at most one borrow of the same
  // `sql` at a time. Errors: the statement does not compile (kInternal, naming `sql`).
  Result<Statement> Prepare(const std::string& sql);

  // True while a transaction is open on this connection.
  bool InTransaction() const;

  // The Error for sqlite result `rc`: "store <path>: <what>: <sqlite message>".
  Error ErrorFor(int rc, std::string_view what) const;

  const std::string& path() const { return path_; }
  // Errors stop naming the file once it is open: they may reach a REST client, which has no
  // business knowing where the server keeps its data.
  void Opened() { opened_ = true; }

 private:
  Connection(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Result<void> Configure();

  std::string path_;
  bool opened_ = false;
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// An IMMEDIATE transaction (the write lock is taken at BEGIN, so a writer waits for another at
// the start rather than failing at COMMIT). Rolls back on destruction unless committed. Not
// thread-safe; must not outlive its Connection.
class Transaction {
 public:
  // Errors: kUnavailable when another writer holds the lock past the busy timeout.
  static Result<Transaction> Begin(Connection& conn);

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Commits. On failure the transaction is rolled back by the destructor.
  Result<void> Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;  // null once committed or moved from
};

}  // namespace ec2m::store
