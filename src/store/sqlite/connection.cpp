#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <utility>

namespace ec2m::store {
namespace {

ErrorCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return ErrorCode::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return ErrorCode::kUnavailable;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return ErrorCode::kFailedPrecondition;
    default:
      return ErrorCode::kInternal;
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Result<void> Statement::BindText(int index, std::string_view text) {
  // SQLITE_STATIC: the caller keeps the bytes alive until Step(), so sqlite need not copy them.
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) {
    return Fail(conn_->ErrorFor(rc, "bind"));
  }
  return {};
}

Result<void> Statement::BindBlob(int index, std::string_view bytes) {
  // A null pointer would bind NULL rather than an empty blob; string_view of "" is never null.
  const char* data = bytes.data() != nullptr ? bytes.data() : "";
  int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) {
    return Fail(conn_->ErrorFor(rc, "bind"));
  }
  return {};
}

Result<void> Statement::BindInt(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    return Fail(conn_->ErrorFor(rc, "bind"));
  }
  return {};
}

Result<bool> Statement::Step(std::string_view what) {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return Fail(conn_->ErrorFor(rc, what));
}

std::string_view Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::string_view Statement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  if (blob == nullptr) {
    return {};
  }
  return {static_cast<const char*>(blob), static_cast<size_t>(sqlite3_column_bytes(stmt_, index))};
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: the owner serializes all use of the connection, so sqlite's own mutex is redundant.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (db == nullptr) {
    return Fail(ErrorCode::kUnavailable, "store " + path + ": out of memory");
  }
  std::unique_ptr<Connection> conn(new Connection(path, db));
  if (rc != SQLITE_OK) {
    return Fail(conn->ErrorFor(rc, ""));
  }
  sqlite3_extended_result_codes(db, 1);
  EC2M_RETURN_IF_ERROR(conn->Configure());
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db_);
}

Result<void> Connection::Configure() {
  // busy_timeout first, so that switching the journal mode waits out another process's lock.
  EC2M_RETURN_IF_ERROR(Exec("PRAGMA busy_timeout=5000", ""));
  // Only takes effect while the file is still empty, and must precede WAL. sim_records is
  // WITHOUT ROWID, whose rows spill to overflow pages beyond ~1/4 of a page: 4 KiB pages would
  // push every ~1 KB body into an overflow page (4x the file size, 3-5x slower loads).
  EC2M_RETURN_IF_ERROR(Exec("PRAGMA page_size=8192", ""));
  std::string mode;
  char* message = nullptr;
  int rc = sqlite3_exec(
      db_, "PRAGMA journal_mode=WAL",
      [](void* out, int columns, char** values, char**) {
        if (columns > 0 && values[0] != nullptr) {
          *static_cast<std::string*>(out) = values[0];
        }
        return 0;
      },
      &mode, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    return Fail(ErrorFor(rc, ""));
  }
  // An in-memory database reports "memory": it has no file to share, so WAL does not apply.
  if (mode != "wal" && path_ != ":memory:") {
    return Fail(ErrorCode::kUnavailable,
                "store " + path_ + ": cannot enable WAL journal mode (got '" + mode + "')");
  }
  return Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", "");
}

Result<void> Connection::Exec(std::string_view sql, std::string_view what) {
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return Fail(ErrorFor(rc, what));
  }
  return {};
}

Result<Statement> Connection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      Error error = ErrorFor(rc, "prepare '" + sql + "'");
      error.code = ErrorCode::kInternal;
      return Fail(std::move(error));
    }
    it = statements_.emplace(sql, stmt).first;
  }
  return Statement(this, it->second);
}

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Error Connection::ErrorFor(int rc, std::string_view what) const {
  std::string message = opened_ ? "store: " : "store " + path_ + ": ";
  if (!what.empty()) {
    message.append(what).append(": ");
  }
  message += sqlite3_errmsg(db_);
  return Error{CodeFor(rc), std::move(message), {}, {}};
}

namespace {

// BEGIN/COMMIT run once per write, so they go through the statement cache rather than being
// parsed again by sqlite3_exec each time.
Result<void> RunCached(Connection& conn, const std::string& sql, std::string_view what) {
  auto stmt = conn.Prepare(sql);
  if (!stmt) {
    return Fail(std::move(stmt).error());
  }
  auto done = stmt->Step(what);
  EC2M_RETURN_IF_ERROR(done);
  return {};
}

}  // namespace

Result<Transaction> Transaction::Begin(Connection& conn) {
  EC2M_RETURN_IF_ERROR(RunCached(conn, "BEGIN IMMEDIATE", "begin transaction"));
  return Transaction(&conn);
}

Transaction::~Transaction() {
  // Some failures (a full disk, an I/O error) already rolled the transaction back inside sqlite;
  // a second ROLLBACK would only fail.
  if (conn_ != nullptr && conn_->InTransaction()) {
    (void)RunCached(*conn_, "ROLLBACK", "rollback");
  }
}

Result<void> Transaction::Commit() {
  EC2M_RETURN_IF_ERROR(RunCached(*conn_, "COMMIT", "commit"));
  conn_ = nullptr;
  return {};
}

}  // namespace ec2m::store
