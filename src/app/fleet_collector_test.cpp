#include "app/fleet_collector.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"
#include "sim/catalog.hpp"
#include "sim/region.hpp"
#include "sim/utilization.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::app {
namespace {

using std::chrono::minutes;

// A simulated region with dev's two instances (one with detailed monitoring) and one of an
// environment on real EC2 (by its config), seen through the inventory as `ec2m serve` sees it.
class FleetCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto region = sim::SimRegion::Open(sim::SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region) << region.error().ToString();
    region_ = std::move(*region);
    for (const auto& [env, detailed] :
         {std::pair{"dev", true}, std::pair{"dev", false}, std::pair{"prod", false}}) {
      RunInstancesRequest req;
      req.image_id = "ami-0abcdef1234567890";
      req.instance_type = "t3.micro";
      req.monitoring_enabled = detailed;
      req.tag_specifications = {{"instance", {{server::kEnvironmentTag, env}}}};
      auto run = region_->RunInstances(req);
      ASSERT_TRUE(run) << run.error().ToString();
      ids_.push_back(run->instances.at(0).instance_id);
    }
    handles_[0].config.name = "dev";
    handles_[0].config.cloud.provider = "sim";
    handles_[0].ec2 = region_.get();
    handles_[1].config.name = "prod";
    handles_[1].config.cloud.provider = "aws";  // its CPU figures would be CloudWatch's
    handles_[1].ec2 = region_.get();
    inventory_ = std::make_unique<server::Inventory>(handles_);
  }

  // The points of a series between two times, 1-minute periods.
  std::vector<std::optional<double>> Points(const std::string& env, const std::string& metric,
                                            const std::map<std::string, std::string>& dims,
                                            TimePoint from, int count, const char* stat = "Sum") {
    return metrics_.Query(env, metric, dims, monitor::ParseStatistic(stat).value(), from,
                          std::chrono::seconds(60), static_cast<size_t>(count));
  }

  static int Count(const std::vector<std::optional<double>>& points) {
    int n = 0;
    for (const auto& p : points) {
      n += p ? 1 : 0;
    }
    return n;
  }

  ManualClock clock_{FromUnixMillis(1'795'000'200'000)};  // a whole 5 minutes
  DefaultRandom random_{7};
  std::unique_ptr<Store> store_;
  std::unique_ptr<sim::SimRegion> region_;
  std::vector<server::EnvironmentHandle> handles_{2};
  std::unique_ptr<server::Inventory> inventory_;
  std::vector<std::string> ids_;
  monitor::MetricStore metrics_{nullptr};
};

TEST_F(FleetCollectorTest, PublishesStatesCostAndTheSimulatedCpuPerPeriod) {
  const TimePoint launched = clock_.Now();
  clock_.Advance(minutes(10) + std::chrono::seconds(30));
  ASSERT_TRUE(inventory_->Refresh());
  FleetCollector collector(*inventory_, handles_);
  collector.Collect(metrics_, clock_.Now());

  const auto running = Points("dev", "Instances", {{"State", "running"}}, launched, 11, "Maximum");
  EXPECT_EQ(running.back(), 2.0);
  const double price = sim::FindInstanceType("t3.micro")->on_demand_hourly_usd;
  EXPECT_DOUBLE_EQ(*Points("dev", "EstimatedHourlyCost", {}, launched, 11).back(), 2 * price);
  EXPECT_DOUBLE_EQ(*Points("prod", "EstimatedHourlyCost", {}, launched, 11).back(), price);

  // Detailed monitoring: a point for each of the ten whole minutes since the launch, the
  // region's own figure, stamped with the period's start.
  const auto detailed =
      Points("dev", "CPUUtilization", {{"InstanceId", ids_[0]}}, launched, 11, "SampleCount");
  EXPECT_EQ(Count(detailed), 10);
  EXPECT_FALSE(detailed[10]);  // the minute under way has no point yet
  EXPECT_DOUBLE_EQ(
      *Points("dev", "CPUUtilization", {{"InstanceId", ids_[0]}}, launched + minutes(3), 1).at(0),
      sim::CpuUtilization(ids_[0], launched + minutes(3)));
  // Basic monitoring: the two whole 5-minute periods, on their starts.
  const auto basic =
      Points("dev", "CPUUtilization", {{"InstanceId", ids_[1]}}, launched, 11, "SampleCount");
  EXPECT_EQ(Count(basic), 2);
  EXPECT_TRUE(basic[0]);
  EXPECT_TRUE(basic[5]);
  // An environment on real EC2 gets none.
  EXPECT_EQ(Count(Points("prod", "CPUUtilization", {}, launched, 11, "SampleCount")), 0);

  // The next run adds the periods since, once each.
  clock_.Advance(minutes(5));
  ASSERT_TRUE(inventory_->Refresh());
  collector.Collect(metrics_, clock_.Now());
  EXPECT_EQ(Count(Points("dev", "CPUUtilization", {{"InstanceId", ids_[0]}}, launched, 16,
                         "SampleCount")),
            15);
  const auto after =
      Points("dev", "CPUUtilization", {{"InstanceId", ids_[1]}}, launched, 16, "SampleCount");
  EXPECT_EQ(Count(after), 3);
  for (const auto& p : after) {
    EXPECT_TRUE(!p || *p == 1.0);  // no period twice
  }

  // A stopped instance publishes no CPU figures.
  ASSERT_TRUE(region_->StopInstances({{ids_[0]}}));
  clock_.Advance(minutes(3));
  ASSERT_TRUE(inventory_->Refresh());
  collector.Collect(metrics_, clock_.Now());
  EXPECT_EQ(Count(Points("dev", "CPUUtilization", {{"InstanceId", ids_[0]}}, launched, 19,
                         "SampleCount")),
            15);
}

}  // namespace
}  // namespace ec2m::app
