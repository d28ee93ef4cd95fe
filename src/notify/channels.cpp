#include "notify/channels.hpp"
#include "core/text.hpp"

#include <nlohmann/json.hpp>

namespace ec2m::notify {
namespace {

constexpr const char* kCollection = "channels";

Result<Channel> FromDoc(const Doc& doc) {
  auto body = config::JsonObject::Parse(doc.body, "channel " + doc.key);
  if (!body) {
    return Fail(ErrorCode::kInternal, body.error().message);
  }
  auto channel = ParseChannel(*body, true);
  if (!channel) {
    return Fail(ErrorCode::kInternal, "stored " + channel.error().message);
  }
  return channel;
}

}  // namespace

Result<Channel> Channels::Add(Channel channel, const std::string& actor) {
  channel.created_at = FormatIso8601(clock_.Now());
  channel.created_by = actor;
  const std::vector<DocWrite> writes = {
      {kCollection, channel.name, ToJson(channel, false).dump(), 0}};
  auto written = store_.WriteDocs(writes);
  if (!written && written.error().code == ErrorCode::kAlreadyExists) {
    return Fail(ErrorCode::kAlreadyExists,
                "channel " + channel.name + " already exists (remove it first to change it)");
  }
  EC2M_RETURN_IF_ERROR(written);
  return channel;
}

Result<Channel> Channels::Get(const std::string& name) {
  auto doc = store_.GetDoc(kCollection, name);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kNotFound, "no channel named " + ShownValue(name));
  }
  return FromDoc(**doc);
}

Result<std::vector<Channel>> Channels::List() {
  auto docs = store_.ListDocs(kCollection, {});
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<Channel> out;
  out.reserve(docs->size());
  for (const Doc& doc : *docs) {
    auto channel = FromDoc(doc);
    EC2M_RETURN_IF_ERROR(channel);
    out.push_back(std::move(*channel));
  }
  return out;
}

Result<void> Channels::Remove(const std::string& name) {
  auto doc = store_.GetDoc(kCollection, name);
  EC2M_RETURN_IF_ERROR(doc);
  if (!doc->has_value()) {
    return Fail(ErrorCode::kNotFound, "no channel named " + ShownValue(name));
  }
  const std::vector<DocWrite> writes = {{kCollection, name, std::nullopt, (*doc)->version}};
  auto written = store_.WriteDocs(writes);
  if (!written && written.error().code == ErrorCode::kFailedPrecondition) {
    return Fail(ErrorCode::kNotFound,
                "no channel named " + ShownValue(name) + " (removed meanwhile)");
  }
  EC2M_RETURN_IF_ERROR(written);
  return {};
}

}  // namespace ec2m::notify
