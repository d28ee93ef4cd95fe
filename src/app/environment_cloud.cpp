#include "app/environment_cloud.hpp"

#include "cloud/aws/aws_config.hpp"

namespace ec2m::app {

Result<std::unique_ptr<aws::AwsEc2>> ConnectEnvironment(const config::EnvironmentConfig& env,
                                                        const std::string& endpoint,
                                                        const Clock& clock, Random& random) {
  aws::AwsEc2Options options;
  options.region = env.region;
  if (env.cloud.provider == "sim") {
    options.endpoint = endpoint.empty() ? kDefaultSimEndpoint : endpoint;
    options.credentials = {"test", "test", ""};
    options.retry = aws::PolicyFor(aws::RetryMode::kStandard, 3);
  } else {
    aws::SettingsRequest req;
    req.profile = env.cloud.profile;
    req.region = env.region;
    req.endpoint_url = endpoint.empty() ? env.cloud.endpoint : endpoint;
    auto settings = aws::ResolveSettings(req, aws::ProcessEnvironment());
    if (!settings) {
      Error e = settings.error();
      e.message = env.file + ": cloud: " + e.message;
      return Fail(std::move(e));
    }
    options.endpoint = settings->endpoint_url;
    options.credentials = settings->credentials;
    options.retry = aws::PolicyFor(settings->retry_mode, settings->max_attempts);
  }
  return std::make_unique<aws::AwsEc2>(options, clock, random);
}

}  // namespace ec2m::app
