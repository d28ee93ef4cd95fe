#include "app/api_client.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/exit_codes.hpp"
#include "core/json.hpp"

namespace ec2m::app {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

}  // namespace

Error ErrorFromJson(const nlohmann::json& e) {
  Error error{ErrorCode::kInternal, e.value("message", ""), "", e.value("request_id", "")};
  const std::string name = e.value("code", "internal");
  for (ErrorCode code : kAllErrorCodes) {
    if (ErrorCodeName(code) == name) {
      error.code = code;
    }
  }
  return error;
}

std::string SessionPath() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (std::string d = Env("EC2M_CONFIG_DIR"); !d.empty()) {
    dir = d;
  } else if (std::string x = Env("XDG_CONFIG_HOME"); !x.empty()) {
    dir = fs::path(x) / "ec2m";
  } else {
    dir = fs::path(Env("HOME")) / ".config" / "ec2m";
  }
  return (dir / "credentials.json").string();
}

Result<Session> LoadSession(const std::string& server_flag) {
  Session s;
  const std::string path = SessionPath();
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    auto j = ParseJsonOrDiscard(text.str());
    if (j.is_discarded() || !j.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, path + ": not a session file; run ec2m login again");
    }
    s.server = j.value("server", "");
    s.token = j.value("token", "");
    s.email = j.value("email", "");
  }
  if (std::string v = Env("EC2M_SERVER"); !v.empty()) {
    s.server = v;
  }
  if (std::string v = Env("EC2M_TOKEN"); !v.empty()) {
    s.token = v;
  }
  if (!server_flag.empty()) {
    s.server = server_flag;
  }
  if (s.token.empty() || s.server.empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                "not signed in: run ec2m login --server URL (or set EC2M_SERVER and EC2M_TOKEN)");
  }
  return s;
}

Result<void> SaveSession(const Session& session) {
  namespace fs = std::filesystem;
  const std::string path = SessionPath();
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable, path + ": cannot be written");
  }
  ::fchmod(fd, 0600);
  const std::string text =
      nlohmann::json{{"server", session.server}, {"token", session.token}, {"email", session.email}}
          .dump() +
      "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kUnavailable, path + ": cannot be written");
  }
  return {};
}

Result<void> ForgetSession() {
  std::error_code ec;
  std::filesystem::remove(SessionPath(), ec);
  return {};
}

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

namespace {

constexpr int kThrottledRetries = 3;
constexpr int kMaxRetryAfterSeconds = 5;

}  // namespace

ApiClient::ApiClient(std::string server, std::string token)
    : server_(std::move(server)), token_(std::move(token)), http_(aws::HttpClientOptions{}) {
  while (!server_.empty() && server_.back() == '/') {
    server_.pop_back();
  }
}

Result<nlohmann::json> ApiClient::Call(const std::string& method, const std::string& path,
                                       const nlohmann::json& body) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "application/json"}};
  if (!token_.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token_);
  }
  std::string text;
  if (!body.is_null()) {
    headers.emplace_back("Content-Type", "application/json");
    text = body.dump();
  }
  aws::HttpResult r = http_.Send(method, server_ + path, headers, text);
  // A 429 of the request rate was refused before anything ran: as the AWS CLI does with
  // throttling, wait as told and try again, a few times, when the wait is short. Sign-in's own
  // throttling is not retried: each attempt there counts.
  const bool signs_in = path.starts_with("/api/v1/auth/") || path == "/api/v1/me/password";
  for (int retry = 0; retry < kThrottledRetries && r.status == 429 && !signs_in; ++retry) {
    int seconds = 0;
    const std::string after = r.Header("Retry-After");
    std::from_chars(after.data(), after.data() + after.size(), seconds);
    if (seconds < 1 || seconds > kMaxRetryAfterSeconds) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    r = http_.Send(method, server_ + path, headers, text);
  }
  if (r.status == 0) {
    return Fail(r.timed_out ? ErrorCode::kTimeout : ErrorCode::kUnavailable,
                "cannot reach " + server_ + ": " + r.transport_error);
  }
  nlohmann::json answer = r.body.empty() ? nlohmann::json(nullptr) : ParseJsonOrDiscard(r.body);
  if (r.status >= 200 && r.status < 300) {
    if (answer.is_discarded()) {
      return Fail(ErrorCode::kInternal, server_ + " answered something other than JSON");
    }
    return answer;
  }
  if (!answer.is_discarded() && answer.is_object() && answer.contains("error")) {
    return Fail(ErrorFromJson(answer["error"]));
  }
  return Fail(ErrorCode::kInternal,
              server_ + " answered HTTP " + std::to_string(r.status) + " without an error body");
}

Result<std::unique_ptr<ApiClient>> ConnectSignedIn(const std::string& server_flag) {
  auto s = LoadSession(server_flag);
  EC2M_RETURN_IF_ERROR(s);
  return std::make_unique<ApiClient>(s->server, s->token);
}

int CallAndPrint(const ReadRequest& request, const Printer& print) {
  auto format = cli::ParseOutputFormat(request.output);
  if (!format) {
    return cli::ReportError(format.error());
  }
  auto client = ConnectSignedIn(request.server_flag);
  if (!client) {
    return cli::ReportError(client.error());
  }
  auto answer = (*client)->Call(request.method, request.path, request.body);
  if (!answer) {
    return cli::ReportError(request.fix_error ? request.fix_error(answer.error()) : answer.error());
  }
  if (*format == cli::OutputFormat::kJson) {
    const nlohmann::json& shown = request.json_key.empty() ? *answer : (*answer)[request.json_key];
    std::printf("%s\n", shown.dump(2).c_str());
    return 0;
  }
  return print(*answer, *format);
}

std::string JsonField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return "";
  }
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace ec2m::app
