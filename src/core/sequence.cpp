#include "core/sequence.hpp"
#include "core/json.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ec2m {
namespace {

constexpr int kMaxBackoffSteps = 20;

bool LostRace(const Error& e) {
  return e.code == ErrorCode::kFailedPrecondition || e.code == ErrorCode::kAlreadyExists;
}

}  // namespace

Result<std::vector<int64_t>> AdvanceHead(
    Store& store, const Clock& clock, const HeadRef& head,
    const std::function<Result<HeadAdvance>(const HeadDoc&)>& advance,
    const SequenceOptions& options) {
  for (int race = 0; race < options.max_races; ++race) {
    if (race > 0) {
      clock.SleepFor(options.backoff * std::min(race, kMaxBackoffSteps));
    }
    auto doc = store.GetDoc(head.collection, head.key);
    EC2M_RETURN_IF_ERROR(doc);
    HeadDoc read;
    if (doc->has_value()) {
      read.body = (*doc)->body;
      read.version = (*doc)->version;
    }
    auto next = advance(read);
    EC2M_RETURN_IF_ERROR(next);
    std::vector<DocWrite> writes = std::move(next->writes);
    writes.push_back({head.collection, head.key, std::move(next->head_body), read.version});
    auto written = store.WriteDocs(writes);
    if (written) {
      return std::move(*written);
    }
    if (!LostRace(written.error())) {
      return Fail(written.error());
    }
    // A lost race moved the head; a head still where it was means one of the caller's own
    // documents was the conflict, which another try would only meet again.
    auto now = store.GetDoc(head.collection, head.key);
    EC2M_RETURN_IF_ERROR(now);
    if ((now->has_value() ? (*now)->version : 0) == read.version) {
      return Fail(written.error());
    }
  }
  return Fail(ErrorCode::kUnavailable,
              fmt::format("{}: lost {} races for the next number; too many concurrent writers",
                          options.what, options.max_races));
}

Result<TakenNumber> TakeNextNumber(
    Store& store, const Clock& clock, const HeadRef& head,
    const std::function<Result<std::vector<DocWrite>>(int64_t number)>& writes,
    const SequenceOptions& options) {
  int64_t taken = 0;
  auto written = AdvanceHead(
      store, clock, head,
      [&](const HeadDoc& read) -> Result<HeadAdvance> {
        int64_t last = 0;
        if (read.body) {
          auto j = ParseJsonOrDiscard(*read.body);
          if (!j.is_object() || !j.contains("number") || !j["number"].is_number_integer()) {
            return Fail(ErrorCode::kInternal, fmt::format("{}: the head {}/{} does not parse",
                                                          options.what, head.collection, head.key));
          }
          last = j["number"].get<int64_t>();
        }
        taken = last + 1;
        auto docs = writes(taken);
        EC2M_RETURN_IF_ERROR(docs);
        return HeadAdvance{std::move(*docs), nlohmann::json{{"number", taken}}.dump()};
      },
      options);
  EC2M_RETURN_IF_ERROR(written);
  written->pop_back();  // the head's
  return TakenNumber{taken, std::move(*written)};
}

}  // namespace ec2m
