#include "audit/audit_log.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/sequence.hpp"
#include "core/utf8.hpp"

namespace ec2m::audit {
namespace {

constexpr const char* kEntries = "audit";
constexpr const char* kHead = "audit_head";
constexpr const char* kHeadKey = "head";
const std::string kZeroHash(64, '0');
// A lost race means another appender's entry landed, so the chain always moves on; the limit only
// bounds one caller's wait. With 4 appenders each losing 3 races in 4, 20 was hit in tests.
constexpr int kMaxAppendRaces = 200;
constexpr int kPage = 1000;

std::string Key(int64_t seq) { return fmt::format("{:020d}", seq); }

// Every field but `hash`; nlohmann::json keeps object keys sorted, so dump() is canonical.
nlohmann::json Fields(const AuditEntry& e) {
  return {{"seq", e.seq},
          {"time", e.time},
          {"actor", e.record.actor},
          {"action", e.record.action},
          {"target", e.record.target},
          {"environment", e.record.environment},
          {"source", e.record.source},
          {"result", e.record.result},
          {"detail", e.record.detail},
          {"prev_hash", e.prev_hash}};
}

constexpr std::string_view kMacPurpose = "audit-head";
// The action of the entry Commit writes when it finds a head it did not sign.
constexpr std::string_view kTamperAction = "audit.head_unverified";

struct Head {
  int64_t seq = 0;
  std::string hash = kZeroHash;
  std::string mac;  // "" when unsigned
};

// What the head's MAC covers.
std::string MacInput(int64_t seq, const std::string& hash) {
  return fmt::format("{}:{}", seq, hash);
}

std::string Capped(const std::string& text, size_t max) {
  return SanitizeUtf8(TruncateUtf8(text, max));
}

AuditRecord CappedRecord(const AuditRecord& r) {
  return {Capped(r.actor, kMaxFieldBytes),  Capped(r.action, kMaxFieldBytes),
          Capped(r.target, kMaxFieldBytes), Capped(r.environment, kMaxFieldBytes),
          Capped(r.source, kMaxFieldBytes), Capped(r.result, kMaxFieldBytes),
          Capped(r.detail, kMaxDetailBytes)};
}

// The head as stored: none yet (`body` nullopt) is the start of the chain.
Result<Head> ParseHead(const HeadDoc& doc) {
  Head head;
  if (!doc.body) {
    return head;
  }
  auto j = ParseJsonOrDiscard(*doc.body);
  if (j.is_discarded() || !j.contains("seq") || !j.contains("hash") ||
      !j["seq"].is_number_integer() || !j["hash"].is_string()) {
    return Fail(ErrorCode::kInternal, "the audit head record does not parse");
  }
  head.seq = j["seq"].get<int64_t>();
  head.hash = j["hash"].get<std::string>();
  head.mac = j.value("mac", "");
  return head;
}

Result<Head> ReadHead(Store& store) {
  auto doc = store.GetDoc(kHead, kHeadKey);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Head{};
  }
  return ParseHead({(*doc)->body, (*doc)->version});
}

}  // namespace

std::string EntryHash(const AuditEntry& entry) {
  return Sha256Hex(entry.prev_hash + "\n" + Fields(entry).dump());
}

nlohmann::json ToJsonValue(const AuditEntry& entry) {
  nlohmann::json j = Fields(entry);
  j["hash"] = entry.hash;
  return j;
}

std::string ToJson(const AuditEntry& entry) { return ToJsonValue(entry).dump(); }

Result<AuditEntry> FromJson(std::string_view json) {
  auto j = ParseJsonOrDiscard(json);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "audit entry: not a JSON object");
  }
  AuditEntry e;
  try {
    e.seq = j.at("seq").get<int64_t>();
    e.time = j.at("time").get<std::string>();
    e.record.actor = j.at("actor").get<std::string>();
    e.record.action = j.at("action").get<std::string>();
    e.record.target = j.at("target").get<std::string>();
    e.record.environment = j.at("environment").get<std::string>();
    e.record.source = j.at("source").get<std::string>();
    e.record.result = j.at("result").get<std::string>();
    e.record.detail = j.at("detail").get<std::string>();
    e.prev_hash = j.at("prev_hash").get<std::string>();
    e.hash = j.at("hash").get<std::string>();
  } catch (const nlohmann::json::exception& ex) {
    return Fail(ErrorCode::kInvalidArgument, std::string("audit entry: ") + ex.what());
  }
  return e;
}

Result<AuditEntry> AuditLog::Append(const AuditRecord& record) {
  auto committed = Commit(record, {});
  EC2M_RETURN_IF_ERROR(committed);
  return std::move(committed->entry);
}

std::string AuditLog::HeadBody(int64_t seq, const std::string& hash) const {
  nlohmann::json head = {{"seq", seq}, {"hash", hash}};
  if (keys_ != nullptr) {
    head["mac"] = keys_->Mac(kMacPurpose, MacInput(seq, hash));
  }
  return head.dump();
}

AuditEntry AuditLog::NewEntry(int64_t seq, const std::string& prev_hash,
                              const AuditRecord& record) const {
  AuditEntry entry;
  entry.seq = seq;
  entry.time = FormatIso8601Millis(clock_.Now());
  entry.record = record;
  entry.prev_hash = prev_hash;
  entry.hash = EntryHash(entry);
  return entry;
}

Result<AuditLog::Committed> AuditLog::Commit(const AuditRecord& record,
                                             std::vector<DocWrite> writes) {
  // Appenders of this process take turns; only other replicas' appends can race.
  std::lock_guard lock(append_mu_);
  const AuditRecord capped = CappedRecord(record);
  AuditEntry entry;
  auto written = AdvanceHead(
      store_, clock_, {kHead, kHeadKey},
      [&](const HeadDoc& doc) -> Result<HeadAdvance> {
        // After a lost race this is the winner's head: the entry chains onto
        // its entry.
        auto head = ParseHead(doc);
        EC2M_RETURN_IF_ERROR(head);
        std::vector<DocWrite> all = writes;
        std::string prev_hash = head->hash;
        int64_t seq = head->seq;
        // A head this key file did not sign was written behind ec2m's
        // back: the chain records that before it goes on, or signing the
        // next head would make the rewrite look intact.
        if (keys_ != nullptr && head->seq > 0 &&
            !keys_->VerifyMac(kMacPurpose, MacInput(head->seq, head->hash), head->mac)) {
          AuditEntry marker =
              NewEntry(++seq, prev_hash,
                       {"system", std::string(kTamperAction), "audit", "", "", "failure",
                        fmt::format("the head after entry {} was not signed by "
                                    "this key file: the database was rewritten, or "
                                    "the key file replaced",
                                    head->seq)});
          all.push_back({kEntries, Key(marker.seq), ToJson(marker), 0});
          prev_hash = marker.hash;
        }
        entry = NewEntry(++seq, prev_hash, capped);
        all.push_back({kEntries, Key(entry.seq), ToJson(entry), 0});
        return HeadAdvance{std::move(all), HeadBody(entry.seq, entry.hash)};
      },
      {.max_races = kMaxAppendRaces, .what = "audit"});
  EC2M_RETURN_IF_ERROR(written);
  written->resize(writes.size());  // the entry's and the head's versions are not the caller's
  return Committed{std::move(entry), std::move(*written)};
}

Result<bool> AuditLog::AdoptHead() {
  if (keys_ == nullptr) {
    return Fail(ErrorCode::kFailedPrecondition, "the audit log has no key to sign its head with");
  }
  std::lock_guard lock(append_mu_);
  auto doc = store_.GetDoc(kHead, kHeadKey);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return false;
  }
  auto head = ParseHead({(*doc)->body, (*doc)->version});
  EC2M_RETURN_IF_ERROR(head);
  if (!head->mac.empty()) {
    return false;
  }
  const std::vector<DocWrite> writes = {
      {kHead, kHeadKey, HeadBody(head->seq, head->hash), (*doc)->version}};
  EC2M_RETURN_IF_ERROR(store_.WriteDocs(writes));
  return true;
}

Result<std::vector<AuditEntry>> AuditLog::List(const AuditQuery& query) {
  if (query.limit < 1 || query.limit > kPage) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("limit: expected 1..{}, got {}", kPage, query.limit));
  }
  std::vector<AuditEntry> out;
  DocQuery docs_query{.limit = query.limit, .descending = query.descending};
  if (query.after_seq > 0) {
    docs_query.after = Key(query.after_seq);
  }
  // `since` filters by time; entries are in time order, so a page may need refilling.
  for (;;) {
    auto docs = store_.ListDocs(kEntries, docs_query);
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& d : *docs) {
      auto e = FromJson(d.body);
      if (!e) {
        return Fail(ErrorCode::kInternal, "audit entry " + d.key +
                                              " does not parse; run "
                                              "`ec2m audit verify`");
      }
      if (!query.since.empty() && e->time < query.since) {
        if (query.descending) {
          return out;  // everything further down is older
        }
        continue;
      }
      out.push_back(std::move(*e));
      if (static_cast<int>(out.size()) == query.limit) {
        return out;
      }
    }
    if (static_cast<int>(docs->size()) < docs_query.limit) {
      return out;
    }
    docs_query.after = docs->back().key;
  }
}

Result<VerifyReport> AuditLog::Verify() {
  VerifyReport report;
  auto bad = [&](int64_t seq, std::string problem) {
    report.intact = false;
    report.first_bad = seq;
    report.problem = std::move(problem);
    return report;
  };
  auto head = ReadHead(store_);
  if (!head) {
    return bad(0, head.error().message);
  }
  int64_t last_seq = 0;
  std::string last_hash = kZeroHash;
  DocQuery query{.limit = kPage};
  for (;;) {
    auto docs = store_.ListDocs(kEntries, query);
    EC2M_RETURN_IF_ERROR(docs);
    for (const Doc& d : *docs) {
      const int64_t expected = last_seq + 1;
      auto e = FromJson(d.body);
      if (!e) {
        return bad(expected, fmt::format("entry {} was altered: {}", expected, e.error().message));
      }
      if (d.key != Key(expected)) {
        return bad(expected,
                   fmt::format("entry {} was removed: entry {} is followed by the entry stored "
                               "as {}",
                               expected, last_seq, std::stoll(d.key)));
      }
      if (e->seq != expected) {
        return bad(expected, fmt::format("entry {} was reordered: its place holds entry {}",
                                         expected, e->seq));
      }
      if (EntryHash(*e) != e->hash) {
        return bad(
            expected,
            fmt::format("entry {} was altered: its hash does not match its contents", expected));
      }
      if (e->prev_hash != last_hash) {
        return bad(expected, fmt::format("entry {} does not follow entry {}: its prev_hash is not "
                                         "that entry's hash (an entry was altered, removed or "
                                         "reordered)",
                                         expected, last_seq));
      }
      if (e->record.action == kTamperAction && e->record.actor == "system") {
        return bad(expected, fmt::format("entry {}: {}", expected, e->record.detail));
      }
      last_seq = e->seq;
      last_hash = e->hash;
      ++report.entries;
    }
    if (static_cast<int>(docs->size()) < kPage) {
      break;
    }
    query.after = docs->back().key;
  }
  if (head->seq != last_seq) {
    return bad(last_seq + 1, fmt::format("entries {}..{} were removed from the end of the log",
                                         last_seq + 1, head->seq));
  }
  if (head->hash != last_hash) {
    return bad(last_seq,
               fmt::format("entry {} was altered: the log's head records another hash", last_seq));
  }
  if (keys_ != nullptr && head->seq > 0 &&
      !keys_->VerifyMac(kMacPurpose, MacInput(head->seq, head->hash), head->mac)) {
    return bad(last_seq, head->mac.empty()
                             ? "the log's head is not signed: the database was rewritten, or the "
                               "log predates the key file that should sign it"
                             : "the log's head signature does not match: the database was "
                               "rewritten, or the key file is not the one that signed it");
  }
  report.head_hash = last_hash;
  return report;
}

}  // namespace ec2m::audit
