#include "cloud/sigv4/suite_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace ec2m::sigv4::suite {
namespace {

namespace fs = std::filesystem;

// The suites' fixed parameters (README.md "Parameters"); the time comes from each request.
constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteRegion = "us-east-1";
constexpr std::string_view kSuiteService = "service";
constexpr std::string_view kEc2Service = "ec2";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    lines.emplace_back(text.substr(start, nl - start));
    if (nl == std::string_view::npos) {
      break;
    }
    start = nl + 1;
  }
  return lines;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The value of the first header named `name` (any case); throws when there is none.
std::string Header(const HttpRequest& req, std::string_view name) {
  for (const auto& [n, v] : req.headers) {
    if (Lower(n) == Lower(std::string(name))) {
      return v;
    }
  }
  throw std::runtime_error("request has no " + std::string(name) + " header");
}

bool HasHeader(const HttpRequest& req, std::string_view name) {
  return std::any_of(req.headers.begin(), req.headers.end(),
                     [&](const auto& h) { return Lower(h.first) == Lower(std::string(name)); });
}

void RemoveHeader(HttpRequest& req, std::string_view name) {
  std::erase_if(req.headers,
                [&](const auto& h) { return Lower(h.first) == Lower(std::string(name)); });
}

TimePoint AmzTime(std::string_view amz_date) {
  const std::optional<TimePoint> t = ParseAmzDate(amz_date);
  if (!t) {
    throw std::runtime_error("bad X-Amz-Date " + std::string(amz_date));
  }
  return *t;
}

std::string SignatureOf(std::string_view authorization) {
  const size_t at = authorization.find("Signature=");
  if (at == std::string_view::npos) {
    throw std::runtime_error("no Signature= in " + std::string(authorization));
  }
  return std::string(Trim(authorization.substr(at + 10)));
}

SigningParams SuiteParams(TimePoint time) {
  SigningParams p;
  p.credentials = {std::string(kAccessKey), std::string(kSecret), ""};
  p.region = kSuiteRegion;
  p.service = kSuiteService;
  p.time = time;
  return p;
}

// The token is the last non-empty line of post-sts-token/readme.txt (CRLF file).
std::string ClassicSessionToken(const fs::path& sts_dir) {
  std::string token;
  for (const std::string& line : Lines(ReadFile(sts_dir / "readme.txt"))) {
    if (!Trim(line).empty()) {
      token = Trim(line);
    }
  }
  return token;
}

SuiteCase LoadClassic(const CaseRef& ref) {
  const fs::path base = ref.path / ref.name;
  auto read = [&](const char* ext) { return ReadFile(fs::path(base.string() + ext)); };
  SuiteCase c;
  c.variant = Variant::kHeader;
  c.unsigned_request = ParseRequestText(read(".req"), FoldMode::kSeparateValues);
  c.params = SuiteParams(AmzTime(Header(c.unsigned_request, "X-Amz-Date")));
  if (ref.path.parent_path().filename() == "post-sts-token") {
    c.params.credentials.session_token = ClassicSessionToken(ref.path.parent_path());
    // "after": the token is not in the request to sign, only in the signed one.
    c.params.omit_session_token = !HasHeader(c.unsigned_request, "X-Amz-Security-Token");
  }
  c.canonical_request = read(".creq");
  c.string_to_sign = read(".sts");
  c.authorization = read(".authz");
  c.signature = SignatureOf(c.authorization);
  c.expected_signed = ParseRequestText(read(".sreq"), FoldMode::kSeparateValues);
  c.wire_request = c.expected_signed;
  return c;
}

SuiteCase LoadCrt(const CaseRef& ref) {
  const nlohmann::json ctx = nlohmann::json::parse(ReadFile(ref.path / "context.json"));
  std::string timestamp = ctx.at("timestamp").get<std::string>();  // 2015-08-30T12:36:00Z
  std::erase_if(timestamp, [](char ch) { return ch == '-' || ch == ':'; });
  SuiteCase c;
  c.variant = ref.variant;
  c.params.credentials.access_key_id = ctx.at("credentials").at("access_key_id");
  c.params.credentials.secret_access_key = ctx.at("credentials").at("secret_access_key");
  c.params.credentials.session_token = ctx.at("credentials").value("token", "");
  c.params.region = ctx.at("region");
  c.params.service = ctx.at("service");
  c.params.time = AmzTime(timestamp);
  c.params.normalize_path = ctx.at("normalize");
  c.params.sign_body = ctx.at("sign_body");
  c.params.omit_session_token = ctx.value("omit_session_token", false);
  c.params.expires = std::chrono::seconds(ctx.at("expiration_in_seconds").get<int64_t>());
  c.unsigned_request =
      ParseRequestText(ReadFile(ref.path / "request.txt"), FoldMode::kContinuation);
  const std::string prefix = ref.variant == Variant::kHeader ? "header-" : "query-";
  c.canonical_request = ReadFile(ref.path / (prefix + "canonical-request.txt"));
  c.string_to_sign = ReadFile(ref.path / (prefix + "string-to-sign.txt"));
  c.signature = ReadFile(ref.path / (prefix + "signature.txt"));
  c.expected_signed = ParseRequestText(ReadFile(ref.path / (prefix + "signed-request.txt")),
                                       FoldMode::kContinuation);
  if (ref.variant == Variant::kHeader) {
    c.authorization = Header(c.expected_signed, "Authorization");
  }
  c.wire_request = c.expected_signed;
  return c;
}

// ec2-vectors.txt: "### name" starts a vector, "-- section" a section; '#' lines before the first
// vector are comments. Sections lose trailing blank lines.
std::map<std::string, std::map<std::string, std::string>> ReadEc2Vectors(const fs::path& file) {
  std::map<std::string, std::map<std::string, std::string>> vectors;
  std::string vector, section;
  for (const std::string& line : Lines(ReadFile(file))) {
    if (line.rfind("### ", 0) == 0) {
      vector = line.substr(4);
      section.clear();
    } else if (!vector.empty() && line.rfind("-- ", 0) == 0) {
      section = line.substr(3);
      vectors[vector][section];
    } else if (!section.empty()) {
      std::string& text = vectors[vector][section];
      text += text.empty() && line.empty() ? "" : line + "\n";
    }
  }
  for (auto& [name, sections] : vectors) {
    for (auto& [title, text] : sections) {
      while (!text.empty() && text.back() == '\n') {
        text.pop_back();
      }
    }
  }
  return vectors;
}

SuiteCase LoadEc2(const CaseRef& ref) {
  const auto vectors = ReadEc2Vectors(ref.path);
  const auto& v = vectors.at(ref.name);
  SuiteCase c;
  c.variant = Variant::kHeader;
  c.wire_request = ParseRequestText(v.at("request"), FoldMode::kContinuation);
  if (std::to_string(c.wire_request.body.size()) != Header(c.wire_request, "Content-Length")) {
    throw std::runtime_error(ref.name + ": body length does not match Content-Length");
  }
  // botocore's HTTP layer adds Content-Length after signing, so it is not signed.
  c.expected_signed = c.wire_request;
  RemoveHeader(c.expected_signed, "Content-Length");
  c.unsigned_request = c.expected_signed;
  RemoveHeader(c.unsigned_request, "Authorization");
  const std::string host = Header(c.wire_request, "Host");  // ec2.<region>.amazonaws.com
  const size_t first_dot = host.find('.');
  const size_t region_end = host.find('.', first_dot + 1);
  c.params = SuiteParams(AmzTime(Header(c.wire_request, "X-Amz-Date")));
  c.params.region = host.substr(first_dot + 1, region_end - first_dot - 1);
  c.params.service = kEc2Service;
  c.canonical_request = v.at("canonical request");
  c.string_to_sign = v.at("string to sign");
  c.authorization = v.at("authorization");
  c.signature = SignatureOf(c.authorization);
  return c;
}

std::vector<fs::path> SortedDirs(const fs::path& root) {
  std::vector<fs::path> dirs;
  if (!fs::is_directory(root)) {
    return dirs;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_directory()) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace

HttpRequest ParseRequestText(std::string_view text, FoldMode fold) {
  HttpRequest req;
  const size_t blank = text.find("\n\n");
  std::string_view head = text.substr(0, blank);
  if (blank != std::string_view::npos) {
    req.body = text.substr(blank + 2);
  }
  while (!head.empty() && head.back() == '\n') {
    head.remove_suffix(1);
  }
  const std::vector<std::string> lines = Lines(head);
  const std::string& request_line = lines.at(0);
  const size_t method_end = request_line.find(' ');
  const size_t version = request_line.rfind(" HTTP/");
  if (method_end == std::string::npos || version == std::string::npos || version <= method_end) {
    throw std::runtime_error("bad request line: " + request_line);
  }
  req.method = request_line.substr(0, method_end);
  const std::string target = request_line.substr(method_end + 1, version - method_end - 1);
  const size_t question = target.find('?');
  req.path = target.substr(0, question);
  req.query = question == std::string::npos ? "" : target.substr(question + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const bool folded = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (folded && !req.headers.empty()) {
      if (fold == FoldMode::kSeparateValues) {
        req.headers.emplace_back(req.headers.back().first, std::string(Trim(line)));
      } else {
        req.headers.back().second += "\n" + line;
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      throw std::runtime_error("bad header line: " + line);
    }
    req.headers.emplace_back(line.substr(0, colon), std::string(Trim(line.substr(colon + 1))));
  }
  return req;
}

std::string TestName(const CaseRef& ref) {
  std::string name = ref.suite + "_" + ref.name;
  if (ref.suite == "crt") {
    name += ref.variant == Variant::kHeader ? "_header" : "_query";
  }
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

std::vector<CaseRef> DiscoverCases(const fs::path& root) {
  std::vector<CaseRef> refs;
  for (const fs::path& dir : SortedDirs(root / "classic-2015")) {
    const std::string name = dir.filename().string();
    if (fs::exists(dir / (name + ".req"))) {
      refs.push_back({"classic", name, dir, Variant::kHeader});
    }
  }
  for (const fs::path& dir : SortedDirs(root / "aws-c-auth-v4")) {
    if (fs::exists(dir / "context.json")) {
      refs.push_back({"crt", dir.filename().string(), dir, Variant::kHeader});
      refs.push_back({"crt", dir.filename().string(), dir, Variant::kQuery});
    }
  }
  const fs::path ec2 = root / "ec2-vectors.txt";
  if (fs::exists(ec2)) {
    for (const auto& [name, sections] : ReadEc2Vectors(ec2)) {
      refs.push_back({"ec2", name, ec2, Variant::kHeader});
    }
  }
  return refs;
}

SuiteCase LoadCase(const CaseRef& ref) {
  if (ref.suite == "classic") {
    return LoadClassic(ref);
  }
  if (ref.suite == "crt") {
    return LoadCrt(ref);
  }
  return LoadEc2(ref);
}

}  // namespace ec2m::sigv4::suite
