// Unit tests for the pieces the suites do not reach: crypto primitives, dates, encoding corners,
// Authorization header errors and each Verify failure.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "cloud/sigv4/canonical.hpp"
#include "cloud/sigv4/crypto.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "cloud/sigv4/uri_encoding.hpp"
#include "core/digest.hpp"

namespace ec2m::sigv4 {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSignature =
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

TimePoint T0() { return *ParseAmzDate("20150830T123600Z"); }

SigningParams Params(std::string service = "ec2") {
  SigningParams p;
  p.credentials = {std::string(kKey), std::string(kSecret), ""};
  p.region = "us-east-1";
  p.service = std::move(service);
  p.time = T0();
  return p;
}

VerifyOptions Options(std::string service = "ec2", TimePoint now = T0()) {
  VerifyOptions o;
  o.service = std::move(service);
  o.now = now;
  return o;
}

std::optional<std::string> Lookup(std::string_view id) {
  if (id == kKey) {
    return std::string(kSecret);
  }
  return std::nullopt;
}

HttpRequest Ec2Post(std::string body = "Action=DescribeRegions&Version=2016-11-15") {
  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Host", "ec2.us-east-1.amazonaws.com"},
                 {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = std::move(body);
  return req;
}

void ExpectError(const Result<VerifiedIdentity>& r, std::string_view aws_code,
                 std::string_view message_part) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().aws_code, aws_code) << r.error().message;
  EXPECT_NE(r.error().message.find(message_part), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find(kSecret), std::string::npos);
}

void ExpectParseError(std::string_view value, std::string_view message_part) {
  auto r = ParseAuthorizationHeader(value);
  ASSERT_FALSE(r.has_value()) << value;
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().aws_code, "IncompleteSignature");
  EXPECT_NE(r.error().message.find(message_part), std::string::npos) << r.error().message;
}

TEST(Sigv4CryptoTest, SigningKey) {
  // The AWS documentation's "deriving the signing key" example.
  EXPECT_EQ(HexEncode(SigningKey(kSecret, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(Sigv4DateTest, ParsesAmzAndHttpDates) {
  EXPECT_EQ(FormatAmzDate(T0()), "20150830T123600Z");
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), T0());
  EXPECT_EQ(ParseAmzDate("20160229T000000Z"), ParseHttpDate("Mon, 29 Feb 2016 00:00:00 GMT"));
  for (std::string_view bad : {"", "20150830T123600", "20151330T123600Z", "20150229T000000Z",
                               "20150830T246000Z", "2015-08-30T12:36:00Z", "2015083OT123600Z"}) {
    EXPECT_FALSE(ParseAmzDate(bad).has_value()) << bad;
  }
  EXPECT_FALSE(ParseHttpDate("Sun, 30 Foo 2015 12:36:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sunday, 30-Aug-15 12:36:00 GMT").has_value());
}

TEST(Sigv4EncodingTest, CanonicalUri) {
  // Non-S3 paths are encoded as sent, so escapes are encoded again.
  EXPECT_EQ(internal::CanonicalUri("/a%20b/c d", true), "/a%2520b/c%20d");
  EXPECT_EQ(internal::CanonicalUri("/a%20b/c d", false), "/a%20b/c%20d");
  EXPECT_EQ(internal::CanonicalUri("/a/b/../c/./d/", true), "/a/c/d/");
  EXPECT_EQ(internal::CanonicalUri("/../..", true), "/");
  EXPECT_EQ(internal::CanonicalUri("", true), "/");
  EXPECT_EQ(internal::CanonicalUri("/a//b/", false), "/a//b/");
  EXPECT_EQ(internal::CanonicalUri("/a%2fb", false), "/a%2Fb");
}

TEST(Sigv4EncodingTest, CanonicalQuery) {
  EXPECT_EQ(internal::CanonicalQuery("b=2&a=1&a=0&c", false), "a=0&a=1&b=2&c=");
  EXPECT_EQ(internal::CanonicalQuery("k=a+b%2fc&&x=%zz", false), "k=a%2Bb%2Fc&x=%25zz");
  EXPECT_EQ(internal::CanonicalQuery("X-Amz-Signature=1&X-Amz-Security-Token=t&a=1", false),
            "X-Amz-Security-Token=t&a=1");
  EXPECT_EQ(internal::CanonicalQuery("X-Amz-Security-Token=t&a=1", true), "a=1");
}

TEST(Sigv4EncodingTest, CanonicalHeaderValue) {
  EXPECT_EQ(internal::CanonicalHeaderValue("  a \t b\n   c  "), "a b c");
  EXPECT_EQ(internal::CanonicalHeaderValue(""), "");
}

TEST(Sigv4AuthorizationHeaderTest, ParsesComponents) {
  auto r = ParseAuthorizationHeader(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request,"
      "SignedHeaders=host;x-amz-date,  Signature=" +
      std::string(kSignature));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(r->date, "20150830");
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->service, "ec2");
  EXPECT_EQ(r->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(r->signature, kSignature);
}

TEST(Sigv4AuthorizationHeaderTest, NamesWhatIsWrong) {
  const std::string cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request";
  const std::string sig = "Signature=" + std::string(kSignature);
  ExpectParseError("", "unsupported algorithm");
  ExpectParseError("AWS4-HMAC-SHA1 " + cred, "unsupported algorithm 'AWS4-HMAC-SHA1'");
  ExpectParseError("AWS4-HMAC-SHA256 SignedHeaders=host, " + sig, "missing the Credential");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", " + sig, "missing the SignedHeaders");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host", "missing the Signature");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", " + cred, "duplicate Credential");
  ExpectParseError("AWS4-HMAC-SHA256 Foo=bar", "unexpected component 'Foo=bar'");
  ExpectParseError(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, "
      "SignedHeaders=host, " +
          sig,
      "Credential must have the form");
  ExpectParseError(
      "AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/ec2/aws4_request, "
      "SignedHeaders=host, " +
          sig,
      "Credential date must be YYYYMMDD");
  ExpectParseError(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/aws5_request, "
      "SignedHeaders=host, " +
          sig,
      "must end in aws4_request");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host, " + sig,
                   "lower-case header names");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x, " + sig,
                   "empty header name");
  ExpectParseError("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=abc",
                   "64 lower-case hex digits");
}

TEST(Sigv4AuthorizationHeaderTest, QuotesInputSafely) {
  auto r = ParseAuthorizationHeader(std::string("AWS4\x01") + std::string(5000, 'A'));
  ASSERT_FALSE(r.has_value());
  EXPECT_LT(r.error().message.size(), 200u);
  for (char c : r.error().message) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f);
  }
}

TEST(Sigv4SignTest, SignHeadersRoundTripsAndReplacesEarlierSignature) {
  HttpRequest req = Ec2Post();
  req.path = "/some path/%7E/../x";
  req.query = "b=a+b&a=%2F";
  SignHeaders(req, Params());
  SignHeaders(req, Params());  // re-signing must not duplicate headers
  int authorizations = 0;
  for (const auto& [name, value] : req.headers) {
    authorizations += name == "Authorization" ? 1 : 0;
  }
  EXPECT_EQ(authorizations, 1);
  auto identity = Verify(req, Lookup, Options());
  ASSERT_TRUE(identity.has_value()) << identity.error().message;
  EXPECT_EQ(identity->access_key_id, kKey);
  EXPECT_EQ(identity->region, "us-east-1");
}

TEST(Sigv4SignTest, PresignRoundTripsWithSessionToken) {
  HttpRequest req = Ec2Post("");
  req.method = "GET";
  req.query = "Action=DescribeRegions";
  SigningParams p = Params();
  p.credentials.session_token = "tok/en+=";
  p.expires = seconds(60);
  Presign(req, p);
  Presign(req, p);  // re-presigning replaces the parameters
  EXPECT_EQ(req.query.find("X-Amz-Algorithm"), req.query.rfind("X-Amz-Algorithm"));
  auto identity = Verify(req, Lookup, Options("ec2", T0() + seconds(60)));
  ASSERT_TRUE(identity.has_value()) << identity.error().message;
  EXPECT_EQ(identity->session_token, "tok/en+=");
  ExpectError(Verify(req, Lookup, Options("ec2", T0() + seconds(61))), "AuthFailure",
              "Request has expired");
}

TEST(Sigv4VerifyTest, MissingAuthentication) {
  ExpectError(Verify(Ec2Post(), Lookup, Options()), "MissingAuthenticationToken",
              "missing Authentication Token");
}

TEST(Sigv4VerifyTest, RejectsBothMechanismsAndDuplicates) {
  HttpRequest req = Ec2Post();
  SignHeaders(req, Params());
  HttpRequest both = req;
  both.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
  ExpectError(Verify(both, Lookup, Options()), "IncompleteSignature", "Only one auth mechanism");
  HttpRequest twice = req;
  twice.headers.push_back(twice.headers.back());
  ExpectError(Verify(twice, Lookup, Options()), "IncompleteSignature", "more than one");
}

TEST(Sigv4VerifyTest, MalformedHeaderIsIncompleteSignature) {
  HttpRequest req = Ec2Post();
  req.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=x");
  ExpectError(Verify(req, Lookup, Options()), "IncompleteSignature",
              "Authorization header: missing the SignedHeaders component");
  req.headers.back().second =
      "AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=" + std::string(kSignature);
  ExpectError(Verify(req, Lookup, Options()), "IncompleteSignature",
              "Authorization header: Credential must have the form");
}

TEST(Sigv4VerifyTest, AcceptsDateHeader) {
  HttpRequest req = Ec2Post();
  req.headers.emplace_back("Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  const SigningParams p = Params();
  const std::string sts = StringToSign(CanonicalRequest(req, p), p);
  const std::string sig =
      HexEncode(HmacSha256(SigningKey(kSecret, "20150830", "us-east-1", "ec2"), sts));
  req.headers.emplace_back("Authorization",
                           "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/"
                           "aws4_request, SignedHeaders=content-type;date;host, Signature=" +
                               sig);
  auto identity = Verify(req, Lookup, Options());
  ASSERT_TRUE(identity.has_value()) << identity.error().message;
}

TEST(Sigv4VerifyTest, RequiresADate) {
  HttpRequest req = Ec2Post();
  SignHeaders(req, Params());
  std::erase_if(req.headers, [](const auto& h) { return h.first == "X-Amz-Date"; });
  ExpectError(Verify(req, Lookup, Options()), "IncompleteSignature", "'X-Amz-Date' or a 'Date'");
}

TEST(Sigv4VerifyTest, RejectsWrongServiceAndScopeDate) {
  HttpRequest req = Ec2Post();
  SignHeaders(req, Params("s3"));
  ExpectError(Verify(req, Lookup, Options("ec2")), "AuthFailure", "correct service: 'ec2'");
  HttpRequest other_day = Ec2Post();
  SignHeaders(other_day, Params());
  for (auto& [name, value] : other_day.headers) {
    if (name == "X-Amz-Date") {
      value = "20150831T000000Z";
    }
  }
  ExpectError(Verify(other_day, Lookup, Options("ec2", *ParseAmzDate("20150831T000000Z"))),
              "AuthFailure", "Date in Credential scope does not match");
}

TEST(Sigv4VerifyTest, RequiresSignedHost) {
  HttpRequest req = Ec2Post();
  req.headers.erase(req.headers.begin());  // no Host when signing
  SignHeaders(req, Params());
  req.headers.emplace_back("Host", "ec2.us-east-1.amazonaws.com");
  ExpectError(Verify(req, Lookup, Options()), "AuthFailure", "must include host");
}

TEST(Sigv4VerifyTest, RejectsMissingSignedHeader) {
  HttpRequest req = Ec2Post();
  SignHeaders(req, Params());
  std::erase_if(req.headers, [](const auto& h) { return h.first == "Content-Type"; });
  ExpectError(Verify(req, Lookup, Options()), "AuthFailure", "'content-type' is not present");
}

TEST(Sigv4VerifyTest, DeclaredPayloadHashMustMatchBody) {
  HttpRequest req = Ec2Post();
  SigningParams p = Params();
  p.sign_body = true;
  SignHeaders(req, p);
  ASSERT_TRUE(Verify(req, Lookup, Options()).has_value());
  req.body += "&DryRun=true";
  ExpectError(Verify(req, Lookup, Options()), "AuthFailure", "x-amz-content-sha256");
  HttpRequest unsigned_payload = Ec2Post();
  unsigned_payload.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
  SignHeaders(unsigned_payload, Params());
  ExpectError(Verify(unsigned_payload, Lookup, Options()), "AuthFailure", "x-amz-content-sha256");
}

TEST(Sigv4VerifyTest, SkewIsConfigurable) {
  HttpRequest req = Ec2Post();
  SignHeaders(req, Params());
  VerifyOptions o = Options("ec2", T0() + minutes(4));
  o.max_skew = minutes(5);
  EXPECT_TRUE(Verify(req, Lookup, o).has_value());
  o.now = T0() + minutes(5) + seconds(1);
  ExpectError(Verify(req, Lookup, o), "AuthFailure", "(20150830T124101Z - 5 minutes)");
  o.max_skew = seconds(30);
  ExpectError(Verify(req, Lookup, o), "AuthFailure", "30 seconds");
}

TEST(Sigv4VerifyTest, PresignParameterErrors) {
  HttpRequest req = Ec2Post("");
  req.method = "GET";
  Presign(req, Params());
  auto with = [&](std::string_view from, std::string_view to) {
    HttpRequest r = req;
    r.query.replace(r.query.find(from), from.size(), to);
    return Verify(r, Lookup, Options());
  };
  ExpectError(with("X-Amz-Expires=3600", "X-Amz-Expires=0"), "IncompleteSignature",
              "X-Amz-Expires must be 1..604800");
  ExpectError(with("X-Amz-Expires=3600", "X-Amz-Expires=x"), "IncompleteSignature",
              "X-Amz-Expires");
  ExpectError(with("X-Amz-Expires=3600&", ""), "IncompleteSignature",
              "requires the X-Amz-Expires query parameter");
  ExpectError(with("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
              "IncompleteSignature", "unsupported algorithm");
  ExpectError(with("aws4_request", "aws5_request"), "IncompleteSignature", "X-Amz-Credential");
  ExpectError(with("X-Amz-Date=20150830T123600Z", "X-Amz-Date=yesterday"), "IncompleteSignature",
              "X-Amz-Date must be");
}

}  // namespace
}  // namespace ec2m::sigv4
