#include "server/inventory.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/random.hpp"
#include "sim/region.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::server {
namespace {

class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto region = sim::SimRegion::Open(sim::SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region) << region.error().ToString();
    region_ = std::move(*region);
    for (const auto& [env, count] : {std::pair{"dev", 60}, std::pair{"prod", 45}}) {
      RunInstancesRequest req;
      req.image_id = "ami-0abcdef1234567890";
      req.instance_type = std::string(env) == "dev" ? "t3.micro" : "m5.large";
      req.min_count = count;
      req.max_count = count;
      req.tag_specifications = {{"instance", {{kEnvironmentTag, env}, {"Name", env}}}};
      ASSERT_TRUE(region_->RunInstances(req));
    }
    // One instance outside any environment: never listed.
    RunInstancesRequest stray;
    stray.image_id = "ami-0abcdef1234567890";
    ASSERT_TRUE(region_->RunInstances(stray));
    config::EnvironmentConfig dev;
    dev.name = "dev";
    config::EnvironmentConfig prod;
    prod.name = "prod";
    inventory_ = std::make_unique<Inventory>(
        std::vector<EnvironmentHandle>{{dev, region_.get()}, {prod, region_.get()}});
    ASSERT_TRUE(inventory_->Refresh());
  }

  // Walks every page of `filter` and returns the ids in order.
  std::vector<std::string> Walk(InstanceFilter filter) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = inventory_->List(filter);
      EXPECT_TRUE(page) << page.error().ToString();
      if (!page) {
        break;
      }
      EXPECT_LE(static_cast<int>(page->items.size()), filter.limit);
      for (const auto& item : page->items) {
        ids.push_back(item->instance.instance_id);
      }
      if (page->next_cursor.empty()) {
        break;
      }
      filter.cursor = page->next_cursor;
    }
    return ids;
  }

  ManualClock clock_{FromUnixMillis(1'795'000'000'000)};
  DefaultRandom random_{7};
  std::unique_ptr<Store> store_;
  std::unique_ptr<sim::SimRegion> region_;
  std::unique_ptr<Inventory> inventory_;
};

TEST_F(InventoryTest, EveryOrderPagesThroughEverythingOnce) {
  for (const std::string sort : {"id", "-id", "name", "-name", "type", "-type", "env", "-env",
                                 "state", "launch_time", "-launch_time", "zone"}) {
    for (int limit : {1, 7, 100, 1000}) {
      InstanceFilter f;
      f.sort = sort;
      f.limit = limit;
      const std::vector<std::string> ids = Walk(f);
      EXPECT_EQ(ids.size(), 105u) << sort << " limit " << limit;
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
          << sort << " limit " << limit << ": an instance listed twice";
      if (sort == "id") {
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
      } else if (sort == "-id") {
        EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
      }
    }
  }
}

TEST_F(InventoryTest, FiltersCombineWithPaging) {
  InstanceFilter f;
  f.env = "prod";
  f.limit = 10;
  EXPECT_EQ(Walk(f).size(), 45u);
  f.env.clear();
  f.type = "t3.micro";
  EXPECT_EQ(Walk(f).size(), 60u);
  f.type.clear();
  f.visible = {"dev"};
  EXPECT_EQ(Walk(f).size(), 60u);
  f.visible.clear();
  f.tag_key = "Name";
  f.tag_value = "prod";
  EXPECT_EQ(Walk(f).size(), 45u);
  f.tag_value.clear();
  f.text = "PROD";
  f.tag_key.clear();
  EXPECT_EQ(Walk(f).size(), 45u);
}

TEST_F(InventoryTest, BadParametersAreNamed) {
  InstanceFilter f;
  f.limit = 0;
  EXPECT_EQ(inventory_->List(f).error().message, "limit: expected 1..1000, got 0");
  f.limit = 10;
  f.sort = "colour";
  EXPECT_NE(inventory_->List(f).error().message.find("sort: expected one of"), std::string::npos);
  f.sort = "id";
  f.cursor = "zz";
  EXPECT_EQ(inventory_->List(f).error().message, "cursor: not a cursor this API returned");
  f.cursor.clear();
  f.env = "qa";
  EXPECT_EQ(inventory_->List(f).error().message, "env: no environment named \"qa\"");
}

TEST_F(InventoryTest, ActionsReportPerInstanceAndRefresh) {
  InstanceFilter f;
  f.env = "dev";
  f.limit = 2;
  auto page = inventory_->List(f);
  ASSERT_TRUE(page);
  const std::string a = page->items[0]->instance.instance_id;
  auto results = inventory_->Act("dev", "stop", {a, "i-0000000000000000f"});
  ASSERT_TRUE(results);
  EXPECT_TRUE((*results)[0].ok);
  EXPECT_EQ((*results)[0].previous_state, "running");
  EXPECT_FALSE((*results)[1].ok);
  EXPECT_EQ((*results)[1].error.code, ErrorCode::kNotFound);
  EXPECT_EQ(inventory_->CountByState("dev")["stopped"], 1);
  EXPECT_FALSE(inventory_->Act("dev", "explode", {a}));
  EXPECT_FALSE(inventory_->Act("dev", "stop", {}));
  // prod's instances are not dev's.
  InstanceFilter p;
  p.env = "prod";
  p.limit = 1;
  const std::string prod_id = inventory_->List(p)->items[0]->instance.instance_id;
  auto cross = inventory_->Act("dev", "stop", {prod_id});
  ASSERT_TRUE(cross);
  EXPECT_FALSE((*cross)[0].ok);
}

TEST_F(InventoryTest, LoopRefreshesAndPauses) {
  auto launch = [&] {
    RunInstancesRequest req;
    req.image_id = "ami-0abcdef1234567890";
    req.tag_specifications = {{"instance", {{kEnvironmentTag, "dev"}}}};
    ASSERT_TRUE(region_->RunInstances(req));
  };
  auto dev_count = [&] {
    int n = 0;
    for (const auto& [state, count] : inventory_->CountByState("dev")) {
      n += count;
    }
    return n;
  };
  // Polls up to 10 s for the loop to show `want` dev instances.
  auto wait_for = [&](int want) {
    for (int i = 0; i < 1000 && dev_count() != want; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return dev_count();
  };
  inventory_->Start(std::chrono::milliseconds(5));
  launch();
  EXPECT_EQ(wait_for(61), 61);
  inventory_->Pause();  // returns once no round runs
  launch();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(dev_count(), 61) << "a paused loop must not refresh";
  inventory_->Resume();
  EXPECT_EQ(wait_for(62), 62);
  inventory_->Stop();
  inventory_->Stop();
}

TEST_F(InventoryTest, ListJsonRendersAPageOncePerSnapshot) {
  InstanceFilter f;
  f.env = "prod";
  f.limit = 2;
  auto first = inventory_->ListJson(f);
  ASSERT_TRUE(first) << first.error().ToString();
  auto page = inventory_->List(f);
  ASSERT_TRUE(page);
  // The same bytes a JSON document of the page would give.
  auto doc = nlohmann::json::parse(**first);
  ASSERT_EQ(doc["items"].size(), 2u);
  EXPECT_EQ(doc["items"][0], ItemToJson(*page->items[0]));
  EXPECT_EQ(doc["items"][1], ItemToJson(*page->items[1]));
  EXPECT_EQ(doc["next_cursor"], page->next_cursor);
  // Asked again: the very same rendering; another filter: another page.
  EXPECT_EQ(inventory_->ListJson(f)->get(), first->get());
  f.cursor = page->next_cursor;
  auto second = inventory_->ListJson(f);
  ASSERT_TRUE(second);
  EXPECT_NE(**second, **first);
  // A refresh makes a new snapshot, and the page is rendered from it.
  f.cursor.clear();
  ASSERT_TRUE(inventory_->Refresh("prod"));
  auto fresh = inventory_->ListJson(f);
  ASSERT_TRUE(fresh);
  EXPECT_NE(fresh->get(), first->get());
  EXPECT_EQ(**fresh, **first);
  // The last page says so; errors are those of List.
  f.limit = 1000;
  EXPECT_EQ(nlohmann::json::parse(**inventory_->ListJson(f))["next_cursor"], nullptr);
  f.limit = 0;
  EXPECT_FALSE(inventory_->ListJson(f));
}

}  // namespace
}  // namespace ec2m::server
