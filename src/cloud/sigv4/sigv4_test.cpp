// Data-driven SigV4 tests: every case of the AWS 2015 suite, of the aws-c-auth suite (header and
// query variants) and every botocore EC2 vector in tests/testdata/sigv4 is its own set of tests.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cloud/sigv4/sigv4.hpp"
#include "cloud/sigv4/suite_reader.hpp"
#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4 {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using suite::CaseRef;
using suite::SuiteCase;
using suite::Variant;

// CMake defines EC2M_SOURCE_DIR; the fallback only lets a bare `clang++ -fsyntax-only` parse this
// file (run that way, SuiteDiscoveryTest would fail on the missing data).
#ifndef EC2M_SOURCE_DIR
#define EC2M_SOURCE_DIR "."
#endif
const std::string kDataDir = std::string(EC2M_SOURCE_DIR) + "/tests/testdata/sigv4";

// Changes the last letter or digit of `s` to another one of the same kind.
void ChangeOneByte(std::string& s) {
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    char& c = *it;
    if (c >= '0' && c <= '9') {
      c = c == '9' ? '0' : static_cast<char>(c + 1);
      return;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      c = (c == 'z' || c == 'Z') ? static_cast<char>(c - 25) : static_cast<char>(c + 1);
      return;
    }
  }
  s += 'x';
}

std::string QueryParam(const HttpRequest& req, std::string_view key) {
  for (const auto& [k, v] : internal::ParseQuery(req.query)) {
    if (k == key) {
      return v;
    }
  }
  return "";
}

std::string HeaderValue(const HttpRequest& req, std::string_view name) {
  for (const auto& [n, v] : req.headers) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

class SuiteTest : public ::testing::TestWithParam<CaseRef> {
 protected:
  void SetUp() override {
    try {
      c_ = suite::LoadCase(GetParam());
    } catch (const std::exception& e) {
      FAIL() << "cannot load " << GetParam().path << " " << GetParam().name << ": " << e.what();
    }
  }

  bool IsHeader() const { return c_.variant == Variant::kHeader; }

  // The suite's unsigned request, signed by us in the case's variant.
  HttpRequest SignedByUs() const {
    HttpRequest req = c_.unsigned_request;
    if (IsHeader()) {
      SignHeaders(req, c_.params);
    } else {
      Presign(req, c_.params);
    }
    return req;
  }

  std::string SignatureIn(const HttpRequest& req) const {
    if (!IsHeader()) {
      return QueryParam(req, "X-Amz-Signature");
    }
    auto auth = ParseAuthorizationHeader(HeaderValue(req, "Authorization"));
    return auth ? auth->signature : "";
  }

  std::vector<std::string> SignedHeaderNames(const HttpRequest& req) const {
    if (!IsHeader()) {
      auto names = QueryParam(req, "X-Amz-SignedHeaders");
      std::vector<std::string> out;
      for (size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
        end = names.find(';', start);
        out.push_back(names.substr(start, end - start));
      }
      return out;
    }
    return ParseAuthorizationHeader(HeaderValue(req, "Authorization"))->signed_headers;
  }

  Result<VerifiedIdentity> VerifyAt(const HttpRequest& req, TimePoint now) const {
    const Credentials creds = c_.params.credentials;
    SecretLookup lookup = [creds](std::string_view id) -> std::optional<std::string> {
      if (id == creds.access_key_id) {
        return creds.secret_access_key;
      }
      return std::nullopt;
    };
    return Verify(req, lookup, Options(now));
  }

  VerifyOptions Options(TimePoint now) const {
    VerifyOptions opts;
    opts.service = c_.params.service;
    opts.now = now;
    opts.normalize_path = c_.params.normalize_path;
    return opts;
  }

  // A rejection is kUnauthenticated and never reveals the secret or the true signature.
  void ExpectRejected(const Result<VerifiedIdentity>& result, std::string_view aws_code,
                      std::string_view message_part = "") const {
    ASSERT_FALSE(result.has_value());
    const Error& e = result.error();
    EXPECT_EQ(e.code, ErrorCode::kUnauthenticated) << e.message;
    if (!aws_code.empty()) {
      EXPECT_EQ(e.aws_code, aws_code) << e.message;
    }
    EXPECT_NE(e.message.find(message_part), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find(c_.params.credentials.secret_access_key), std::string::npos);
    EXPECT_EQ(e.message.find(c_.signature), std::string::npos) << e.message;
  }

  SuiteCase c_;
};

TEST_P(SuiteTest, CanonicalRequestMatches) {
  EXPECT_EQ(CanonicalRequest(SignedByUs(), c_.params), c_.canonical_request);
}

TEST_P(SuiteTest, StringToSignMatches) {
  EXPECT_EQ(StringToSign(CanonicalRequest(SignedByUs(), c_.params), c_.params), c_.string_to_sign);
}

TEST_P(SuiteTest, SignatureAndAuthorizationMatch) {
  const HttpRequest req = SignedByUs();
  EXPECT_EQ(SignatureIn(req), c_.signature);
  if (IsHeader()) {
    EXPECT_EQ(HeaderValue(req, "Authorization"), c_.authorization);
  }
  // The key derivation alone, from the suite's own string to sign.
  const std::string date = FormatAmzDate(c_.params.time).substr(0, 8);
  const std::string key = SigningKey(c_.params.credentials.secret_access_key, date,
                                     c_.params.region, c_.params.service);
  std::string hex;
  for (unsigned char b : HmacSha256(key, c_.string_to_sign)) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0x0f];
  }
  EXPECT_EQ(hex, c_.signature);
}

TEST_P(SuiteTest, SignedRequestMatchesSuite) {
  const HttpRequest req = SignedByUs();
  const HttpRequest& want = c_.expected_signed;
  EXPECT_EQ(req.method, want.method);
  EXPECT_EQ(req.path, want.path);
  EXPECT_EQ(req.query, want.query);
  EXPECT_EQ(req.headers, want.headers);
  EXPECT_EQ(req.body, want.body);
}

TEST_P(SuiteTest, VerifyAcceptsSignedRequest) {
  const auto identity = VerifyAt(c_.wire_request, c_.params.time);
  ASSERT_TRUE(identity.has_value()) << identity.error().ToString();
  EXPECT_EQ(identity->access_key_id, c_.params.credentials.access_key_id);
  EXPECT_EQ(identity->region, c_.params.region);
  EXPECT_EQ(identity->session_token, c_.params.credentials.session_token);
}

TEST_P(SuiteTest, VerifyRejectsChangedBody) {
  HttpRequest req = c_.wire_request;
  ChangeOneByte(req.body);
  ExpectRejected(VerifyAt(req, c_.params.time), "AuthFailure");
}

TEST_P(SuiteTest, VerifyRejectsChangedSignedHeader) {
  const std::vector<std::string> names = SignedHeaderNames(c_.wire_request);
  ASSERT_FALSE(names.empty());
  int changed = 0;
  for (size_t i = 0; i < c_.wire_request.headers.size(); ++i) {
    std::string name = c_.wire_request.headers[i].first;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      continue;
    }
    HttpRequest req = c_.wire_request;
    ChangeOneByte(req.headers[i].second);
    ExpectRejected(VerifyAt(req, c_.params.time), "");
    ++changed;
  }
  EXPECT_GT(changed, 0);
}

TEST_P(SuiteTest, VerifyRejectsChangedSignature) {
  HttpRequest req = c_.wire_request;
  if (IsHeader()) {
    for (auto& [name, value] : req.headers) {
      if (name == "Authorization") {
        const size_t at = value.find("Signature=") + 10;
        value[at] = value[at] == '0' ? '1' : '0';
      }
    }
  } else {
    const size_t at = req.query.find("X-Amz-Signature=") + 16;
    req.query[at] = req.query[at] == '0' ? '1' : '0';
  }
  ExpectRejected(VerifyAt(req, c_.params.time), "AuthFailure", "signature");
}

TEST_P(SuiteTest, VerifyRejectsUnknownAccessKey) {
  SecretLookup nobody = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  ExpectRejected(Verify(c_.wire_request, nobody, Options(c_.params.time)), "AuthFailure",
                 c_.params.credentials.access_key_id);
}

TEST_P(SuiteTest, VerifyRejectsStaleRequest) {
  const TimePoint later = c_.params.time + minutes(16);
  if (IsHeader()) {
    ExpectRejected(VerifyAt(c_.wire_request, later), "AuthFailure",
                   "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z");
    return;
  }
  // A presigned URL lives for X-Amz-Expires, not for the clock skew.
  EXPECT_TRUE(VerifyAt(c_.wire_request, later).has_value());
  EXPECT_TRUE(VerifyAt(c_.wire_request, c_.params.time + c_.params.expires).has_value());
  ExpectRejected(VerifyAt(c_.wire_request, c_.params.time + c_.params.expires + seconds(1)),
                 "AuthFailure", "Request has expired");
}

TEST_P(SuiteTest, VerifyRejectsRequestFromTheFuture) {
  ExpectRejected(VerifyAt(c_.wire_request, c_.params.time - minutes(16)), "AuthFailure",
                 "Signature not yet current");
}

INSTANTIATE_TEST_SUITE_P(Vectors, SuiteTest, ::testing::ValuesIn(suite::DiscoverCases(kDataDir)),
                         [](const ::testing::TestParamInfo<CaseRef>& info) {
                           return suite::TestName(info.param);
                         });

TEST(SuiteDiscoveryTest, FindsEveryCase) {
  int classic = 0, crt = 0, ec2 = 0;
  for (const CaseRef& ref : suite::DiscoverCases(kDataDir)) {
    classic += ref.suite == "classic" ? 1 : 0;
    crt += ref.suite == "crt" ? 1 : 0;
    ec2 += ref.suite == "ec2" ? 1 : 0;
  }
  EXPECT_EQ(classic, 31);
  EXPECT_EQ(crt, 2 * 38);
  EXPECT_EQ(ec2, 6);
}

}  // namespace
}  // namespace ec2m::sigv4
