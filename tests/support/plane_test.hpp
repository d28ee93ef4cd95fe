#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/control_plane.hpp"
#include "support/rest_client.hpp"

namespace ec2m::testing {

// A test against one `ec2m serve` (plane_) through its REST API as its admin (admin_, once the
// test signed in); a call nothing answered fails the test.
class PlaneTest : public ::testing::Test {
 protected:
  Answer Call(const std::string& method, const std::string& path, const std::string& token,
              const nlohmann::json& body = nullptr) {
    Answer a = CallApi(plane_->url(), method, path, token,
                       method == "POST" && body.is_null() ? nlohmann::json::object() : body);
    if (a.status == 0) {
      ADD_FAILURE() << method << " " << path << ": no answer";
    }
    return a;
  }

  std::string Login(const std::string& email, const std::string& password) {
    const std::string token = LoginApi(plane_->url(), email, password);
    EXPECT_FALSE(token.empty()) << email << " could not sign in";
    return token;
  }

  // A user with `roles`, created by the admin; their session token.
  std::string UserWith(const std::string& email, const nlohmann::json& roles) {
    const std::string token = UserWithRoles(plane_->url(), admin_, email, roles);
    EXPECT_FALSE(token.empty()) << email;
    return token;
  }

  TempDir dir_;
  std::unique_ptr<ControlPlane> plane_;
  std::string admin_;
};

}  // namespace ec2m::testing
