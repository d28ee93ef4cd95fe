// SimRegion: tags, and the read-only catalogs (images, instance types, zones, regions).

#include <algorithm>
#include <functional>
#include <span>

#include "sim/catalog.hpp"
#include "sim/filters.hpp"
#include "sim/region.hpp"
#include "sim/region_internal.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

namespace {

bool TagDescriptionValues(const TagDescription& t, std::string_view name,
                          std::vector<std::string>& out) {
  if (name == "key") {
    out.push_back(t.key);
  } else if (name == "value") {
    out.push_back(t.value);
  } else if (name == "resource-id") {
    out.push_back(t.resource_id);
  } else if (name == "resource-type") {
    out.push_back(t.resource_type);
  } else if (name.starts_with("tag:")) {
    if (t.key == name.substr(4)) {
      out.push_back(t.value);
    }
  } else {
    return false;
  }
  return true;
}

bool ImageValues(const Image& i, std::string_view name, std::vector<std::string>& out) {
  if (name == "image-id") {
    out.push_back(i.image_id);
  } else if (name == "name") {
    out.push_back(i.name);
  } else if (name == "description") {
    out.push_back(i.description);
  } else if (name == "owner-id") {
    out.push_back(i.owner_id);
  } else if (name == "owner-alias") {
    out.push_back(i.owner_alias);
  } else if (name == "state") {
    out.push_back(i.state);
  } else if (name == "architecture") {
    out.push_back(i.architecture);
  } else if (name == "is-public") {
    out.emplace_back(i.is_public ? "true" : "false");
  } else if (name == "image-type") {
    out.push_back(i.image_type);
  } else if (name == "platform") {
    out.push_back(i.platform);
  } else if (name == "root-device-type") {
    out.push_back(i.root_device_type);
  } else if (name == "root-device-name") {
    out.push_back(i.root_device_name);
  } else if (name == "virtualization-type") {
    out.push_back(i.virtualization_type);
  } else if (name == "hypervisor") {
    out.push_back(i.hypervisor);
  } else {
    return TagFilterValues(i.tags, name, out);
  }
  return true;
}

bool TypeValues(const InstanceTypeInfo& t, std::string_view name, std::vector<std::string>& out) {
  if (name == "instance-type") {
    out.push_back(t.instance_type);
  } else if (name == "vcpu-info.default-vcpus") {
    out.push_back(std::to_string(t.vcpus));
  } else if (name == "memory-info.size-in-mib") {
    out.push_back(std::to_string(t.memory_mib));
  } else if (name == "current-generation") {
    out.emplace_back(t.current_generation ? "true" : "false");
  } else if (name == "free-tier-eligible") {
    out.emplace_back(t.free_tier_eligible ? "true" : "false");
  } else if (name == "processor-info.supported-architecture") {
    out.insert(out.end(), t.architectures.begin(), t.architectures.end());
  } else {
    return false;
  }
  return true;
}

bool ZoneValues(const AvailabilityZone& z, std::string_view name, std::vector<std::string>& out) {
  if (name == "zone-name") {
    out.push_back(z.zone_name);
  } else if (name == "zone-id") {
    out.push_back(z.zone_id);
  } else if (name == "state") {
    out.push_back(z.state);
  } else if (name == "region-name") {
    out.push_back(z.region_name);
  } else if (name == "group-name") {
    out.push_back(z.group_name);
  } else if (name == "opt-in-status") {
    out.push_back(z.opt_in_status);
  } else if (name == "zone-type") {
    out.push_back(z.zone_type);
  } else {
    return false;
  }
  return true;
}

bool RegionValues(const Region& r, std::string_view name, std::vector<std::string>& out) {
  if (name == "region-name") {
    out.push_back(r.region_name);
  } else if (name == "endpoint") {
    out.push_back(r.endpoint);
  } else if (name == "opt-in-status") {
    out.push_back(r.opt_in_status);
  } else {
    return false;
  }
  return true;
}

// The tag list of a resource, or null when no resource has that id.
Tags* TagsOf(RegionState& st, const std::string& id) {
  if (InstanceRecord* r = st.FindInstance(id)) {
    return &r->tags;
  }
  if (auto it = st.vpcs.find(id); it != st.vpcs.end()) {
    return &it->second.vpc.tags;
  }
  if (auto it = st.subnets.find(id); it != st.subnets.end()) {
    return &it->second.subnet.tags;
  }
  if (auto it = st.groups.find(id); it != st.groups.end()) {
    return &it->second.group.tags;
  }
  return nullptr;
}

// The record of resource `id` after a tag change, for the store.
SimRecord EncodeResource(RegionState& st, const std::string& id) {
  if (InstanceRecord* r = st.FindInstance(id)) {
    return Encode(*r);
  }
  if (auto it = st.vpcs.find(id); it != st.vpcs.end()) {
    return Encode(it->second);
  }
  if (auto it = st.subnets.find(id); it != st.subnets.end()) {
    return Encode(it->second);
  }
  return Encode(st.groups.at(id));
}

// Applies `change` to the tags of every resource in `ids` all-or-nothing: on a failed check or a
// failed write, every tag list is restored.
template <typename Change>
Result<void> ChangeTags(RegionState& st, const std::vector<std::string>& ids, Change change,
                        const std::function<Result<void>(std::span<const SimRecord>)>& persist) {
  if (ids.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter ResourceId",
                "MissingParameter");
  }
  if (ids.size() > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "At most 1000 resource ids may be tagged at once",
                "InvalidParameterValue");
  }
  std::vector<std::pair<Tags*, Tags>> saved;
  for (const auto& id : ids) {
    Tags* tags = TagsOf(st, id);
    if (tags == nullptr) {
      const std::string_view type = ResourceTypeOf(id);
      return IdsNotFound(type.empty() ? "resource" : type, {id});
    }
    saved.emplace_back(tags, *tags);
  }
  auto restore = [&] {
    for (auto& [tags, old] : saved) {
      *tags = old;
    }
  };
  std::vector<SimRecord> records;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto changed = change(*saved[i].first, ids[i]);
    if (!changed) {
      restore();
      return changed;
    }
  }
  records.reserve(ids.size());
  for (const auto& id : ids) {
    records.push_back(EncodeResource(st, id));
  }
  auto written = persist(records);
  if (!written) {
    restore();
  }
  return written;
}

}  // namespace

Result<void> SimRegion::CreateTags(const CreateTagsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("CreateTags"));
  if (req.tags.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter Tag",
                "MissingParameter");
  }
  EC2M_RETURN_IF_ERROR(ValidateTags(req.tags));
  std::lock_guard lock(mu_);
  auto persist = [&](std::span<const SimRecord> records) -> Result<void> {
    if (req.dry_run) {
      return DryRunSucceeded();
    }
    return Persist(records);
  };
  return ChangeTags(
      *state_, req.resource_ids,
      [&](Tags& tags, const std::string& id) { return MergeTags(tags, req.tags, id); }, persist);
}

Result<void> SimRegion::DeleteTags(const DeleteTagsRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DeleteTags"));
  std::lock_guard lock(mu_);
  auto persist = [&](std::span<const SimRecord> records) -> Result<void> {
    if (req.dry_run) {
      return DryRunSucceeded();
    }
    return Persist(records);
  };
  return ChangeTags(
      *state_, req.resource_ids,
      [&](Tags& tags, const std::string&) -> Result<void> {
        if (req.tags.empty()) {
          tags.clear();
          return {};
        }
        std::erase_if(tags, [&](const Tag& t) {
          return std::any_of(req.tags.begin(), req.tags.end(), [&](const TagKeyValue& d) {
            return d.key == t.key && (!d.value || *d.value == t.value);
          });
        });
        return {};
      },
      persist);
}

Result<Page<TagDescription>> SimRegion::DescribeTags(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeTags"));
  EC2M_RETURN_IF_ERROR(CheckPaging(req, 5, 1000, false));
  EC2M_RETURN_IF_ERROR(ValidateFilters<TagDescription>(req.filters, TagDescriptionValues));
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::lock_guard lock(mu_);
  const int64_t now = NowMs();
  std::vector<TagDescription> items;
  auto add = [&](const std::string& id, std::string_view type, const Tags& tags) {
    for (const Tag& t : tags) {
      TagDescription d{id, std::string(type), t.key, t.value};
      if (MatchesFilters(d, req.filters, TagDescriptionValues)) {
        items.push_back(std::move(d));
      }
    }
  };
  for (const auto& [seq, r] : state_->instances) {
    if (EffectiveState(r, now) != InstanceState::kTerminated) {
      add(r.instance_id, "instance", r.tags);
    }
  }
  for (const auto& [id, v] : state_->vpcs) {
    add(id, "vpc", v.vpc.tags);
  }
  for (const auto& [id, s] : state_->subnets) {
    add(id, "subnet", s.subnet.tags);
  }
  for (const auto& [id, g] : state_->groups) {
    add(id, "security-group", g.group.tags);
  }
  std::stable_sort(
      items.begin(), items.end(), [](const TagDescription& a, const TagDescription& b) {
        return a.resource_id != b.resource_id ? a.resource_id < b.resource_id : a.key < b.key;
      });
  return PageOf(std::move(items), req);
}

Result<Page<Image>> SimRegion::DescribeImages(const DescribeImagesRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeImages"));
  EC2M_RETURN_IF_ERROR(CheckPaging(req.base, 5, 1000, false));
  EC2M_RETURN_IF_ERROR(ValidateFilters<Image>(req.base.filters, ImageValues));
  std::vector<std::string> missing;
  for (const auto& id : req.base.ids) {
    if (FindImage(id) == nullptr) {
      missing.push_back(id);
    }
  }
  if (!missing.empty()) {
    return IdsNotFound("image", missing);
  }
  if (req.base.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<Image> items;
  for (const Image& image : ImageCatalog()) {
    if (!Requested(req.base.ids, image.image_id)) {
      continue;
    }
    if (!req.owners.empty() &&
        std::none_of(req.owners.begin(), req.owners.end(), [&](const std::string& o) {
          return o == image.owner_id || o == image.owner_alias ||
                 (o == "self" && image.owner_id == config_.account_id);
        })) {
      continue;
    }
    if (MatchesFilters(image, req.base.filters, ImageValues)) {
      items.push_back(image);
    }
  }
  return PageOf(std::move(items), req.base);
}

Result<Page<InstanceTypeInfo>> SimRegion::DescribeInstanceTypes(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeInstanceTypes"));
  EC2M_RETURN_IF_ERROR(CheckPaging(req, 5, 100, false));
  EC2M_RETURN_IF_ERROR(ValidateFilters<InstanceTypeInfo>(req.filters, TypeValues));
  for (const auto& id : req.ids) {
    if (FindInstanceType(id) == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "The following supplied instance types do not exist: [" + id + "]",
                  "InvalidInstanceType");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<InstanceTypeInfo> items;
  for (const auto& t : InstanceTypeCatalog()) {
    if (!req.ids.empty() &&
        std::find(req.ids.begin(), req.ids.end(), t.instance_type) == req.ids.end()) {
      continue;
    }
    if (MatchesFilters(t, req.filters, TypeValues)) {
      items.push_back(t);
    }
  }
  return PageOf(std::move(items), req);
}

Result<std::vector<AvailabilityZone>> SimRegion::DescribeAvailabilityZones(
    const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeAvailabilityZones"));
  EC2M_RETURN_IF_ERROR(ValidateFilters<AvailabilityZone>(req.filters, ZoneValues));
  const auto zones = ZonesOf(config_.region);
  for (const auto& id : req.ids) {
    if (std::none_of(zones.begin(), zones.end(), [&](const AvailabilityZone& z) {
          return z.zone_name == id || z.zone_id == id;
        })) {
      return Fail(ErrorCode::kInvalidArgument, "The zone '" + id + "' does not exist.",
                  "InvalidParameterValue");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<AvailabilityZone> items;
  for (const auto& z : zones) {
    if (!req.ids.empty() &&
        std::none_of(req.ids.begin(), req.ids.end(),
                     [&](const std::string& id) { return id == z.zone_name || id == z.zone_id; })) {
      continue;
    }
    if (MatchesFilters(z, req.filters, ZoneValues)) {
      items.push_back(z);
    }
  }
  return items;
}

Result<std::vector<Region>> SimRegion::DescribeRegions(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeRegions"));
  EC2M_RETURN_IF_ERROR(ValidateFilters<Region>(req.filters, RegionValues));
  for (const auto& id : req.ids) {
    if (!IsKnownRegion(id)) {
      return Fail(ErrorCode::kInvalidArgument, "Invalid region: '" + id + "'",
                  "InvalidParameterValue");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<Region> items;
  for (const auto& r : RegionCatalog()) {
    if (!req.ids.empty() &&
        std::find(req.ids.begin(), req.ids.end(), r.region_name) == req.ids.end()) {
      continue;
    }
    if (MatchesFilters(r, req.filters, RegionValues)) {
      items.push_back(r);
    }
  }
  return items;
}

}  // namespace ec2m::sim
