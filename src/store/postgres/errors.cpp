#include "store/postgres/errors.hpp"

#include <pqxx/except>

#include <string>

namespace ec2m::store::pg {
namespace {

// SQLSTATE classes and codes (PostgreSQL manual, appendix A), most specific first.
struct SqlStateCode {
  std::string_view prefix;
  ErrorCode code;
};
constexpr SqlStateCode kSqlStateCodes[] = {
    {"23505", ErrorCode::kAlreadyExists},     // unique_violation
    {"23", ErrorCode::kInvalidArgument},      // integrity constraint violation
    {"22", ErrorCode::kInvalidArgument},      // data exception
    {"28", ErrorCode::kUnauthenticated},      // invalid authorization specification
    {"42501", ErrorCode::kPermissionDenied},  // insufficient_privilege
    {"57014", ErrorCode::kTimeout},           // query_canceled (statement_timeout)
    {"08", ErrorCode::kUnavailable},          // connection exception
    {"40", ErrorCode::kUnavailable},          // transaction rollback: retrying may succeed
    {"53", ErrorCode::kUnavailable},          // insufficient resources
    {"55P03", ErrorCode::kUnavailable},       // lock_not_available
    {"57P", ErrorCode::kUnavailable},         // server shutting down or starting
};

ErrorCode CodeForSqlState(std::string_view state) {
  for (const SqlStateCode& entry : kSqlStateCodes) {
    if (state.substr(0, entry.prefix.size()) == entry.prefix) {
      return entry.code;
    }
  }
  return ErrorCode::kInternal;
}

ErrorCode CodeFor(const std::exception& e) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return CodeForSqlState(sql->sqlstate());
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

// The server's first line without its severity: a DETAIL line would quote the failing row,
// whose body can be a megabyte of bytea.
std::string_view PrimaryMessage(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  for (std::string_view severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    if (message.substr(0, severity.size()) == severity) {
      return message.substr(severity.size());
    }
  }
  return message;
}

}  // namespace

Error ErrorFrom(const ConnInfo& info, std::string_view what, const std::exception& e) {
  std::string message = "store " + info.display() + ": ";
  message.append(what).append(": ").append(info.Scrub(PrimaryMessage(e.what())));
  return Error{CodeFor(e), std::move(message), {}, {}};
}

Result<void> Guard(const ConnInfo& info, std::string_view what, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return Fail(ErrorFrom(info, what, e));
  }
  return {};
}

}  // namespace ec2m::store::pg
