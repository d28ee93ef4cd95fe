#include "notify/channels.hpp"
#include "core/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "core/json.hpp"

namespace ec2m::notify {
namespace {

constexpr const char* kCollection = "channels";

constexpr std::string_view kSealPurpose = "secrets";
// The fields of a stored channel that hold a credential (a Slack, Teams or webhook URL's path is
// one).
constexpr const char* kSecretFields[] = {"url", "secret", "password", "token"};

std::string SealContext(const std::string& name, std::string_view field) {
  return "channel " + name + " " + std::string(field);
}

}  // namespace

std::string Channels::Encode(const Channel& channel) const {
  nlohmann::json j = ToJson(channel, false);
  if (keys_ != nullptr && random_ != nullptr) {
    for (const char* field : kSecretFields) {
      if (j.contains(field) && j[field].is_string() && !j[field].get<std::string>().empty()) {
        j[field] = keys_->Seal(kSealPurpose, j[field].get<std::string>(),
                               SealContext(channel.name, field), *random_);
      }
    }
  }
  return DumpJson(j);
}

Result<Channel> Channels::Decode(const Doc& doc) const {
  auto damaged = [&doc](const std::string& what) {
    return Fail(ErrorCode::kInternal, "stored channel " + ShownValue(doc.key) + ": " + what);
  };
  auto j = ParseJson(doc.body, "channel");
  if (!j || !j->is_object()) {
    return damaged("does not parse");
  }
  // Channels stored before the key file sealed them are read as they are.
  for (const char* field : kSecretFields) {
    if (keys_ != nullptr && j->contains(field) && (*j)[field].is_string() &&
        auth::KeyRing::IsSealed((*j)[field].get<std::string>())) {
      auto opened =
          keys_->Open(kSealPurpose, (*j)[field].get<std::string>(), SealContext(doc.key, field));
      if (!opened) {
        return damaged(opened.error().message);
      }
      (*j)[field] = std::move(*opened);
    }
  }
  auto body = config::JsonObject::Parse(DumpJson(*j), "channel " + doc.key);
  if (!body) {
    return damaged(body.error().message);
  }
  auto channel = ParseChannel(*body, true);
  if (!channel) {
    return damaged(channel.error().message);
  }
  return channel;
}

Result<Channel> Channels::Add(Channel channel, const std::string& actor) {
  channel.created_at = FormatIso8601(clock_.Now());
  channel.created_by = actor;
  const std::vector<DocWrite> writes = {{kCollection, channel.name, Encode(channel), 0}};
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
  return Decode(**doc);
}

Result<std::vector<Channel>> Channels::List() {
  auto docs = store_.ListDocs(kCollection, {});
  EC2M_RETURN_IF_ERROR(docs);
  std::vector<Channel> out;
  out.reserve(docs->size());
  for (const Doc& doc : *docs) {
    auto channel = Decode(doc);
    if (!channel) {
      // A damaged channel does not stop the others from being listed or delivered to.
      std::fprintf(stderr, "ec2m: %s\n", channel.error().ToString().c_str());
      continue;
    }
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
