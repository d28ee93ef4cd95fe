#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

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

  // Applies the server's config of `env` through the REST API and waits for it. Where the config
  // requires approval the apply is held: a second person approves it.
  void Provision(const std::string& env) {
    Answer started = Call("POST", "/api/v1/environments/" + env + "/provision", admin_);
    ASSERT_EQ(started.status, 202) << started.body.dump();
    std::string id;
    if (started.body["deployment"].is_object()) {
      id = Approved(started.body["deployment"]["id"]);
      ASSERT_FALSE(id.empty());
    } else {
      id = started.body["changeset"]["id"];
    }
    for (int i = 0; i < 600; ++i) {
      Answer cs = Call("GET", "/api/v1/environments/" + env + "/changesets/" + id, admin_);
      if (cs.body.value("status", "") != "applying") {
        ASSERT_EQ(cs.body.value("status", ""), "succeeded") << cs.body.dump();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << id << " did not finish";
  }

  // Has a second person (setup-approver@example.com, an approver everywhere, made once) approve
  // deployment `id` once it awaits approval; the change set it applied as, once it succeeded (""
  // when it did not).
  std::string Approved(const std::string& id) {
    if (setup_approver_.empty()) {
      setup_approver_ = UserWith("setup-approver@example.com", {{"*", "approver"}});
    }
    for (int i = 0; i < 600; ++i) {
      Answer d = Call("GET", "/api/v1/deployments/" + id, admin_);
      const std::string state = d.body.value("state", "");
      if (state == "awaiting_approval") {
        EXPECT_EQ(Call("POST", "/api/v1/deployments/" + id + "/approve", setup_approver_).status,
                  200);
      } else if (state == "succeeded") {
        return d.body.value("change_set", "");
      } else if (state == "failed" || state == "rejected" || state == "aborted") {
        ADD_FAILURE() << d.body.dump();
        return "";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << id << " did not succeed";
    return "";
  }

  TempDir dir_;
  std::unique_ptr<ControlPlane> plane_;
  std::string admin_;
  std::string setup_approver_;  // Approved's second person, once made
};

}  // namespace ec2m::testing
