#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"

// Numbers handed out from a head document of the Store: the audit log's sequence, change set
// numbers per environment, incident ids per day. The head is moved in the same WriteDocs that
// writes the documents the number is for, guarded by the head's version, so two writers (threads,
// or replicas sharing one PostgreSQL) never take the same number: the loser reads the head again
// and retries.
namespace ec2m {

// Where a sequence's head document is.
struct HeadRef {
  std::string collection;
  std::string key;
};

// The head as one attempt read it.
struct HeadDoc {
  std::optional<std::string> body;  // nullopt: there is no head yet (nothing taken)
  int64_t version = 0;              // 0 when there is none
};

// What one attempt writes: the caller's documents (first, in order), then the head's new body.
struct HeadAdvance {
  std::vector<DocWrite> writes;
  std::string head_body;
};

struct SequenceOptions {
  // How many lost races one call tolerates before it gives up with kUnavailable. A lost race
  // means another writer's number landed, so the sequence always moves on; the limit only bounds
  // one caller's wait.
  int max_races = 50;
  // After the r-th lost race the caller waits min(r, 20) * backoff (through the Clock: instant
  // with a ManualClock) before reading the head again.
  std::chrono::microseconds backoff{100};
  // Names the sequence in the error after max_races ("audit", "change sets of prod").
  std::string what = "sequence";
};

// Reads the head, asks `advance` what to write for it, and writes that plus the head's new body
// in one WriteDocs guarded by the head's version (a create when there is no head). When another
// writer moved the head first (kFailedPrecondition) or took one of the documents (kAlreadyExists),
// waits a little and starts over with the head as it is now; `advance` is called again, so it
// must not have effects of its own beyond the returned writes. Returns WriteDocs' versions (the
// head's last). Errors: an error of `advance`, as is (no retry); the conflict of one of the
// caller's own writes (its expected_version), as WriteDocs returned it, when the head had not
// moved; the store's other errors; kUnavailable naming `options.what` after `options.max_races`
// lost races. Thread-safe if the store is.
Result<std::vector<int64_t>> AdvanceHead(
    Store& store, const Clock& clock, const HeadRef& head,
    const std::function<Result<HeadAdvance>(const HeadDoc&)>& advance,
    const SequenceOptions& options = {});

// What TakeNextNumber took.
struct TakenNumber {
  int64_t number = 0;
  std::vector<int64_t> versions;  // of the caller's documents, in order
};

// The common case: a head {"number": N} counting from 1 (no head: 0). Calls `writes(N + 1)` for
// the documents to write with the number, and moves the head to N + 1 with them, as AdvanceHead
// does. Errors: as AdvanceHead's; kInternal when the head does not parse.
Result<TakenNumber> TakeNextNumber(
    Store& store, const Clock& clock, const HeadRef& head,
    const std::function<Result<std::vector<DocWrite>>(int64_t number)>& writes,
    const SequenceOptions& options = {});

}  // namespace ec2m
