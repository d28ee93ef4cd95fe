#pragma once

#include <pqxx/connection>
#include <pqxx/field>

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/postgres/conninfo.hpp"

// What PostgresStore's two halves (postgres_store.cpp: opening and sim records; postgres_docs.cpp:
// documents) share. Internal to store/postgres.
namespace ec2m::store::pg {

// Registers the document statements on a new connection (the pool's Setup calls it).
void PrepareDocStatements(pqxx::connection& conn);

// The bytes of a bytea field.
std::string Bytes(const pqxx::field& field);

// PostgreSQL text cannot hold a NUL byte, and libpq sends a text parameter only up to its first
// one, so such a name would silently stand for another. Errors: kInvalidArgument naming `what`
// and `text` (NUL written as \0) when `text` holds one.
Result<void> CheckText(const ConnInfo& info, std::string_view what, std::string_view text);

}  // namespace ec2m::store::pg
