#include "store/postgres/conninfo.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <utility>

namespace ec2m::store::pg {
namespace {

bool IsSecretKey(std::string_view key) { return key == "password" || key == "sslpassword"; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The secrets of a URI as written (still percent-encoded): the password in "user:password@" and
// any password=... query parameter. Scans as libpq does, so even a URI libpq rejects is covered.
void UriSecrets(std::string_view uri, std::vector<std::string>& out) {
  const size_t start = uri.find("://") + 3;
  const size_t end = uri.find_first_of("@/", start);
  if (end != std::string_view::npos && uri[end] == '@') {
    const std::string_view userinfo = uri.substr(start, end - start);
    const size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) {
      out.emplace_back(userinfo.substr(colon + 1));
    }
  }
  const size_t query = uri.find('?');
  if (query == std::string_view::npos) {
    return;
  }
  std::string_view rest = uri.substr(query + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretKey(pair.substr(0, eq))) {
      out.emplace_back(pair.substr(eq + 1));
    }
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
}

// The secrets of "key=value ..." pairs as written, quoted or not, again scanning as libpq does.
void KeywordSecrets(std::string_view s, std::vector<std::string>& out) {
  auto skip_space = [&](size_t i) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) {
      ++i;
    }
    return i;
  };
  size_t i = skip_space(0);
  while (i < s.size()) {
    const size_t key_start = i;
    while (i < s.size() && s[i] != '=' && std::isspace(static_cast<unsigned char>(s[i])) == 0) {
      ++i;
    }
    const std::string_view key = s.substr(key_start, i - key_start);
    i = skip_space(i);
    if (i >= s.size() || s[i] != '=') {
      return;  // libpq rejects the string here; nothing after it is a value
    }
    i = skip_space(i + 1);
    const size_t value_start = i;
    const bool quoted = i < s.size() && s[i] == '\'';
    i += quoted ? 1 : 0;
    while (i < s.size() &&
           (quoted ? s[i] != '\'' : std::isspace(static_cast<unsigned char>(s[i])) == 0)) {
      i += s[i] == '\\' ? 2 : 1;
    }
    i = std::min(i + (quoted ? 1 : 0), s.size());
    if (IsSecretKey(key)) {
      out.emplace_back(s.substr(value_start, i - value_start));
    }
    i = skip_space(i);
  }
}

bool IsUri(std::string_view conninfo) {
  return StartsWith(conninfo, "postgresql://") || StartsWith(conninfo, "postgres://");
}

// True when an '@' before the query is not the one libpq splits "user:password@host" at: a
// password with an unencoded '@' or '/' would then be read as part of the host, port or database
// name, and show up in messages where no scrubbing can find it.
bool HasStrayAt(std::string_view uri) {
  const size_t start = uri.find("://") + 3;
  const std::string_view before_query = uri.substr(0, uri.find('?'));
  const size_t first_at = before_query.find('@', start);
  if (first_at == std::string_view::npos) {
    return false;
  }
  return before_query.find('/', start) < first_at || before_query.rfind('@') != first_at;
}

std::vector<std::string> RawSecrets(std::string_view conninfo) {
  std::vector<std::string> secrets;
  if (IsUri(conninfo)) {
    UriSecrets(conninfo, secrets);
  } else {
    KeywordSecrets(conninfo, secrets);
  }
  return secrets;
}

void SortForReplacement(std::vector<std::string>& secrets) {
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  std::sort(secrets.begin(), secrets.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// libpq's messages end in a newline and indent continuation lines with a tab.
std::string OneLine(std::string_view message) {
  std::string line;
  for (const char c : message) {
    if (c == '\n' || c == '\t') {
      if (!line.empty() && line.back() != ' ') {
        line.push_back(' ');
      }
    } else {
      line.push_back(c);
    }
  }
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line;
}

std::string Display(const std::map<std::string, std::string, std::less<>>& options) {
  auto get = [&](std::string_view key) {
    auto it = options.find(key);
    return it == options.end() ? std::string() : it->second;
  };
  std::string host = get("host");
  if (host.empty()) {
    host = get("hostaddr");
  }
  std::string display = "postgresql://";
  if (const std::string user = get("user"); !user.empty()) {
    display += user + "@";
  }
  display += host;
  if (const std::string port = get("port"); !port.empty()) {
    display += ":" + port;
  }
  return display + "/" + get("dbname");
}

bool IsPortList(std::string_view ports) {
  bool digit_seen = false;
  for (const char c : ports) {
    if (c == ',') {
      digit_seen = false;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
    digit_seen = true;
  }
  return digit_seen;
}

}  // namespace

Result<ConnInfo> ConnInfo::Parse(std::string conninfo) {
  if (IsUri(conninfo) && HasStrayAt(conninfo)) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "store: invalid PostgreSQL connection string: an '@' after the host or a second '@' "
        "(write '@', '/' and ':' in a user name or password as %40, %2F and %3A)");
  }
  std::vector<std::string> secrets = RawSecrets(conninfo);
  char* errmsg = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(
      PQconninfoParse(conninfo.c_str(), &errmsg), &PQconninfoFree);
  if (parsed == nullptr) {
    SortForReplacement(secrets);
    const ConnInfo unparsed(std::move(conninfo), "", std::move(secrets));
    std::string reason = errmsg != nullptr ? unparsed.Scrub(errmsg) : "out of memory";
    PQfreemem(errmsg);
    return Fail(ErrorCode::kInvalidArgument,
                "store: invalid PostgreSQL connection string: " + reason);
  }
  std::map<std::string, std::string, std::less<>> options;
  for (const PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) {
      continue;
    }
    // dispchar "*" is libpq's own mark for a secret (password, sslpassword, ...).
    if (o->dispchar != nullptr && std::string_view(o->dispchar) == "*") {
      secrets.emplace_back(o->val);
    } else {
      options.emplace(o->keyword, o->val);
    }
  }
  SortForReplacement(secrets);
  std::string display = Display(options);
  if (auto port = options.find("port"); port != options.end() && !IsPortList(port->second)) {
    return Fail(ErrorCode::kInvalidArgument,
                "store " + display + ": port '" + port->second + "' is not a number");
  }
  return ConnInfo(std::move(conninfo), std::move(display), std::move(secrets));
}

std::string ConnInfo::Scrub(std::string_view message) const {
  std::string scrubbed = OneLine(message);
  for (const std::string& secret : secrets_) {
    scrubbed = ReplaceAll(std::move(scrubbed), secret, "***");
  }
  return scrubbed;
}

}  // namespace ec2m::store::pg
