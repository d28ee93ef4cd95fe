#include "sim/endpoint/test_client.hpp"

namespace ec2m::sim::testing {

namespace {

Reply ToReply(const aws::HttpResult& result) {
  Reply reply;
  if (result.status == 0) {
    return reply;
  }
  reply.status = result.status;
  reply.body = result.body;
  reply.content_type = result.Header("Content-Type");
  reply.request_id = result.Header("x-amzn-RequestId");
  reply.content_length = result.Header("Content-Length");
  reply.transfer_encoding = result.Header("Transfer-Encoding");
  return reply;
}

}  // namespace

void EndpointTest::SetUp() {
  random_ = std::make_unique<DefaultRandom>();
  dir_ = std::filesystem::temp_directory_path() /
         ("ec2m-endpoint-test-" + NewResourceId(*random_, "t"));
  clock_ = std::make_unique<ManualClock>(FromUnixMillis(kStartMillis));
  auto store = store::SqliteStore::Open((dir_ / "sim.db").string());
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  store_ = std::move(*store);
  auto region = SimRegion::Open(SimConfig{}, *store_, *clock_, *random_);
  ASSERT_TRUE(region.has_value()) << region.error().ToString();
  region_ = std::move(*region);
  server_ = std::make_unique<QueryServer>(
      *region_, region_.get(),
      QueryServer::CredentialMap{
          {kCredentials.access_key_id, kCredentials.secret_access_key},
          {kOtherCredentials.access_key_id, kOtherCredentials.secret_access_key}},
      *clock_, *random_, "us-west-2");
  if (describe_window_ > 0) {
    server_->set_describe_window(describe_window_);
  }
  auto port = server_->Listen("127.0.0.1", 0);
  ASSERT_TRUE(port.has_value()) << port.error().ToString();
  port_ = *port;
  client_ = std::make_unique<aws::HttpClient>(aws::HttpClientOptions{});
}

void EndpointTest::TearDown() {
  client_.reset();
  if (server_) {
    server_->Stop();
  }
  server_.reset();
  region_.reset();
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Reply EndpointTest::Post(const std::string& body, const Signing& signing) {
  sigv4::HttpRequest http{
      "POST",
      "/",
      "",
      {{"Host", "127.0.0.1:" + std::to_string(port_)}, {"Content-Type", kFormContentType}},
      body};
  if (signing.sign) {
    sigv4::SigningParams params;
    params.credentials = signing.credentials;
    params.region = signing.region;
    params.service = "ec2";
    params.time = signing.time.value_or(clock_->Now());
    sigv4::SignHeaders(http, params);
  }
  return ToReply(client_->Send("POST", BaseUrl() + "/", http.headers, body));
}

Reply EndpointTest::Get(const std::string& query, const Signing& signing) {
  sigv4::HttpRequest http{"GET", "/", query, {{"Host", "127.0.0.1:" + std::to_string(port_)}}, ""};
  if (signing.sign) {
    sigv4::SigningParams params;
    params.credentials = signing.credentials;
    params.region = signing.region;
    params.service = "ec2";
    params.time = signing.time.value_or(clock_->Now());
    sigv4::SignHeaders(http, params);
  }
  return ToReply(client_->Send("GET", BaseUrl() + "/?" + query, http.headers, ""));
}

Reply EndpointTest::Admin(const std::string& method, const std::string& path,
                          const std::string& key, const std::string& body) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!key.empty()) {
    headers.emplace_back("X-Ec2m-Admin-Key", key);
  }
  if (method != "GET") {
    headers.emplace_back("Content-Type", "application/json");
  }
  return ToReply(client_->Send(method, BaseUrl() + path, headers, body));
}

std::string EndpointTest::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string EndpointTest::Ec2Error(const Reply& reply) {
  pugi::xml_document doc;
  if (!doc.load_string(reply.body.c_str())) {
    return "";
  }
  return doc.select_node("/Response/Errors/Error/Code").node().child_value();
}

pugi::xml_node EndpointTest::Xml(pugi::xml_document& doc, const Reply& reply) {
  const pugi::xml_parse_result parsed = doc.load_string(reply.body.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << ": " << reply.body;
  return doc.document_element();
}

}  // namespace ec2m::sim::testing
