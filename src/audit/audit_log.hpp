#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "auth/keyring.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"

// The audit trail: every change, sign-in and token use, append-only, each entry's hash chained to
// the previous one so that altering, removing or reordering entries afterwards is detectable.
namespace ec2m::audit {

// What happened, as the caller reports it. Every field is capped when appended (kMaxFieldBytes,
// the detail kMaxDetailBytes), cut on a UTF-8 boundary, and invalid UTF-8 replaced: a client's
// input can make an entry long, never huge or unreadable.
inline constexpr size_t kMaxFieldBytes = 256;
inline constexpr size_t kMaxDetailBytes = 2048;
struct AuditRecord {
  std::string actor;        // the user's email, "token:<name>", or "anonymous"
  std::string action;       // "auth.login", "instance.stop", "user.create", ...
  std::string target;       // "i-0abc...", "user:bob@example.com", ...
  std::string environment;  // "dev", ...; "" when the action is not about one
  std::string source;       // the client's address
  std::string result;       // "success", "failure" or "denied"
  std::string detail;       // why it failed, or what changed; never a secret
};

// A stored entry: the record, its place and time, and the chain.
struct AuditEntry {
  int64_t seq = 0;   // 1, 2, 3, ... without gaps
  std::string time;  // "2026-11-27T10:00:00.000Z"
  AuditRecord record;
  std::string prev_hash;  // `hash` of entry seq-1; 64 zeros for the first entry
  std::string hash;       // hex SHA-256 over prev_hash and every other field (EntryHash)
};

// The hash an entry must carry: SHA-256 of its prev_hash, a newline, and the canonical JSON of
// its other fields (keys sorted, no spaces).
std::string EntryHash(const AuditEntry& entry);

// The outcome of Verify().
struct VerifyReport {
  int64_t entries = 0;    // how many entries were checked
  bool intact = true;     // false: `problem` names the first entry that is wrong
  int64_t first_bad = 0;  // the seq of that entry (0 when intact)
  std::string problem;    // "entry 7 was altered: its hash does not match its contents"
  std::string head_hash;  // the last entry's hash
};

struct AuditQuery {
  int64_t after_seq = 0;  // entries with seq > after_seq (ascending) or < it (descending; 0 = end)
  int limit = 100;        // 1..1000
  bool descending = false;
  std::string since;  // only entries at or after this time (same format as AuditEntry::time)
};

// The log over the store's documents: collection "audit" keyed by the zero-padded seq, and
// "audit_head" holding the last seq and hash. Append writes the entry and moves the head in one
// store transaction guarded by the head's version, so concurrent appenders (threads, or several
// `ec2m serve` replicas on one PostgreSQL) never fork the chain: the loser re-reads and retries.
// The head also makes a removed last entry detectable, and with a key ring it carries an HMAC of
// its seq and hash under a key kept outside the database: whoever rewrites the database alone
// (truncating the log and recomputing every hash) cannot sign the new head, and Verify says so.
// An append that finds a head it cannot verify first writes an "audit.head_unverified" entry, so
// signing the next head does not launder the rewrite: Verify reports that entry.
// Thread-safe if the store is.
class AuditLog {
 public:
  // `keys` signs the head (borrowed; null: unsigned, as in tests of the chain alone).
  AuditLog(Store& store, const Clock& clock, const auth::KeyRing* keys = nullptr)
      : store_(store), clock_(clock), keys_(keys) {}

  // Appends `record` at the clock's time. Errors: the store's (after 20 lost races, kUnavailable).
  Result<AuditEntry> Append(const AuditRecord& record);

  // What Commit wrote: the entry, and the new version of each of the caller's writes (in order).
  struct Committed {
    AuditEntry entry;
    std::vector<int64_t> versions;
  };
  // Appends `record` and applies `writes` in the same store transaction: the change and its entry
  // commit together or neither does. Errors: as Append's; a conflict of one of `writes` (its
  // expected_version: kFailedPrecondition or kAlreadyExists) as the store returned it.
  Result<Committed> Commit(const AuditRecord& record, std::vector<DocWrite> writes);

  // Signs the head when it carries no signature (a log written before the key file existed):
  // meant for the start that creates the key file, never later, or a rewritten head would be
  // signed too. Returns whether it signed. Errors: the store's; kFailedPrecondition without keys.
  Result<bool> AdoptHead();

  // Entries in seq order (or reversed), as `query` selects them.
  // Errors: kInvalidArgument for a limit outside 1..1000; the store's; kInternal for an entry
  // that does not parse (Verify names it).
  Result<std::vector<AuditEntry>> List(const AuditQuery& query);

  // Walks the whole chain in order and reports the first entry that was altered (its hash does
  // not match its contents), removed (a gap in the seqs, or the head names a later entry than the
  // last one present) or reordered (its prev_hash is not the previous entry's hash). Errors only
  // when the store fails; a broken chain is a report, not an error.
  Result<VerifyReport> Verify();

 private:
  // An entry of `record` at `seq` chained to `prev_hash`, at the clock's time.
  AuditEntry NewEntry(int64_t seq, const std::string& prev_hash, const AuditRecord& record) const;
  // The head document's body for `seq` and `hash`, signed when there are keys.
  std::string HeadBody(int64_t seq, const std::string& hash) const;

  Store& store_;
  const Clock& clock_;
  const auth::KeyRing* keys_;
  std::mutex append_mu_;  // serializes this process's Append calls
};

// The entry's JSON (the form of `ec2m audit export` and the REST API), and back.
std::string ToJson(const AuditEntry& entry);
nlohmann::json ToJsonValue(const AuditEntry& entry);
Result<AuditEntry> FromJson(std::string_view json);

}  // namespace ec2m::audit
