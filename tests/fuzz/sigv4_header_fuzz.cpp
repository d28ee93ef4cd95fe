// Feeds arbitrary bytes to the SigV4 parser and verifier, as an Authorization header and as a
// presigned query string. Neither may crash, hang or trip a sanitizer, whatever the input.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cloud/sigv4/sigv4.hpp"

namespace {

std::optional<std::string> AnyKey(std::string_view access_key_id) {
  if (access_key_id.empty()) {
    return std::nullopt;
  }
  return std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ec2m::sigv4;  // NOLINT(google-build-using-namespace)
  const std::string input(reinterpret_cast<const char*>(data), size);

  (void)ParseAuthorizationHeader(input);

  VerifyOptions opts;
  opts.service = "ec2";
  opts.now = *ParseAmzDate("20150830T123600Z");

  HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Host", "ec2.us-east-1.amazonaws.com"},
                 {"X-Amz-Date", "20150830T123600Z"},
                 {"Authorization", input}};
  req.body = "Action=DescribeRegions&Version=2016-11-15";
  (void)Verify(req, AnyKey, opts);

  // The same bytes as the path and as a presigned query string.
  HttpRequest presigned;
  presigned.method = "GET";
  presigned.path = input;
  presigned.query = input;
  presigned.headers = {{"Host", "ec2.us-east-1.amazonaws.com"}, {"Date", input}};
  (void)Verify(presigned, AnyKey, opts);
  return 0;
}
