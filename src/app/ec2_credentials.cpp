#include "app/ec2_credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace ec2m::app {
namespace {

constexpr std::string_view kAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

std::string Alphanumeric(Random& random, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kAlphanumeric[random.Next() % kAlphanumeric.size()];
  }
  return out;
}

Result<void> Write(const std::string& path, const Ec2Credentials& c) {
  const std::string text = nlohmann::json{{"access_key_id", c.access_key_id},
                                          {"secret_access_key", c.secret_access_key},
                                          {"admin_key", c.admin_key}}
                               .dump(2) +
                           "\n";
  // O_EXCL: two replicas starting at once do not overwrite each other's keys.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable, path + ": cannot write the EC2 endpoint's credentials");
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) {
    return Fail(ErrorCode::kUnavailable, path + ": cannot write the EC2 endpoint's credentials");
  }
  return {};
}

}  // namespace

Result<Ec2Credentials> LoadEc2Credentials(const std::string& path, bool generate, Random& random) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (!generate) {
      return Fail(ErrorCode::kNotFound, path + ": no such credentials file (ec2_credentials)");
    }
    // The secret draws from the token alphabet (base64url), the id from EC2's own shape.
    Ec2Credentials fresh{"EC2M" + Alphanumeric(random, 16),
                         auth::NewToken(random, "").substr(0, 40),
                         auth::NewToken(random, "ec2m_a_")};
    auto written = Write(path, fresh);
    if (!written) {
      // Another replica may have written it first: read theirs.
      if (::stat(path.c_str(), &st) == 0) {
        return LoadEc2Credentials(path, false, random);
      }
      return Fail(written.error());
    }
    return fresh;
  }
  if ((st.st_mode & 0077) != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: can be read by others (mode {:o}); chmod 600 it", path,
                            st.st_mode & 0777));
  }
  auto text = ReadFile(path);
  EC2M_RETURN_IF_ERROR(text);
  auto j = ParseJson(*text, path);
  EC2M_RETURN_IF_ERROR(j);
  Ec2Credentials c;
  for (auto [key, into] : {std::pair{"access_key_id", &c.access_key_id},
                           std::pair{"secret_access_key", &c.secret_access_key},
                           std::pair{"admin_key", &c.admin_key}}) {
    const nlohmann::json* v = j->is_object() && j->contains(key) ? &(*j)[key] : nullptr;
    if (v == nullptr || !v->is_string() || v->get<std::string>().empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: $.{}: required, a non-empty string", path, key));
    }
    *into = v->get<std::string>();
  }
  if (c.admin_key == c.secret_access_key) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": $.admin_key: must differ from the secret access key");
  }
  return c;
}

}  // namespace ec2m::app
