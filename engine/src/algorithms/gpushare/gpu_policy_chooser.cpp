// fgd, dot-product, gpu-packing, gpu-clustering: the FGD paper's GPU-sharing policies
// (Weng et al., ATC'23; engine/src/gpushare/policies) as NodeChoosers over the profile's
// feasible nodes, so `podium schedule --algorithm fgd` runs them on Kubernetes objects.
//
// On a cluster with GPU sharing (ClusterState::gpu) a decision mirrors one step of
// gpushare's PlacementLoop (what `podium replay` runs): every feasible node gets the
// policy's integer score for the pod (its gpushare request, CPU-only pods included), the
// artifact's min-max normalisation where the policy asks for it, and ties go to the node
// first in the seed's fixed permutation (the artifact's selectHost order; the replay's rule,
// not the rotating kube ring). The devices the policy picked on the chosen node are the
// ones the pod binds (gpu_devices_of_last_choice).
//
// The workload distribution FGD measures fragmentation against (typical pods) is every
// pod of the input, bound or pending, taken once per cluster.
//
// Without GPU sharing the policies have nothing to score, so they behave as `best-fit`:
// least normalised remaining cpu+memory(+requested extended) after placement, ties to the
// first node in node order.

#include <limits>
#include <memory>

#include "algorithms/builtin_algorithms.hpp"
#include "algorithms/fit/remaining_capacity.hpp"
#include "podium/framework/tie_breaker.hpp"
#include "podium/gpushare/fragmentation.hpp"
#include "podium/gpushare/policy.hpp"

namespace podium::algorithms {
namespace {

class GpuPolicyChooser final : public NodeChooser {
 public:
  explicit GpuPolicyChooser(std::string policy) : policy_name_(std::move(policy)) {}

  NodeIndex choose(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) override {
    last_devices_ = 0;
    if (!ctx.cluster.gpu) return tightest_fit(ctx, feasible);
    prepare(ctx);
    const gpushare::GpuCluster& gpu = *ctx.cluster.gpu;
    const gpushare::GpuPod& pod = ctx.pod.pod.gpu;
    scores_.resize(feasible.size());
    devices_.resize(feasible.size());
    std::int64_t lowest = std::numeric_limits<std::int64_t>::max(), highest = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < feasible.size(); ++i) {
      const gpushare::NodeScore s = policy_->score(gpu, feasible[i], pod);
      scores_[i] = s.score;
      devices_[i] = s.devices;
      lowest = std::min(lowest, s.score);
      highest = std::max(highest, s.score);
    }
    const bool normalize = policy_->min_max_normalized();
    const std::int64_t range = highest - lowest;
    std::size_t best = 0;
    std::int64_t best_score = -1;
    std::uint32_t best_distance = 0;
    for (std::size_t i = 0; i < feasible.size(); ++i) {
      std::int64_t s = scores_[i];
      if (normalize) s = range == 0 ? 0 : (s - lowest) * 100 / range;
      const std::uint32_t distance = ring_.distance(feasible[i], 0);
      if (s > best_score || (s == best_score && distance < best_distance)) {
        best = i;
        best_score = s;
        best_distance = distance;
      }
    }
    last_devices_ = pod.num_gpu > 0 ? devices_[best] : 0;
    policy_->bound(feasible[best], pod, +1);
    return feasible[best];
  }

  std::uint8_t gpu_devices_of_last_choice() const override { return last_devices_; }

 private:
  // The policy, its typical pods and the tie ring, built once per cluster and seed.
  void prepare(const ChoiceContext& ctx) {
    if (policy_ && prepared_for_ == &ctx.cluster && prepared_seed_ == ctx.seed) return;
    std::vector<gpushare::GpuPod> workload;
    workload.reserve(ctx.cluster.pods.size());
    for (const state::PodRecord& p : ctx.cluster.pods) workload.push_back(p.gpu);
    typical_ = gpushare::typical_pods(workload, ctx.cluster.strings);
    policy_ = gpushare::make_policy(policy_name_, gpushare::PolicyContext{&typical_, ctx.cluster.nodes.size});
    ring_ = framework::TieBreaker(ctx.cluster.nodes.size, ctx.seed);
    prepared_for_ = &ctx.cluster;
    prepared_seed_ = ctx.seed;
  }

  NodeIndex tightest_fit(const ChoiceContext& ctx, std::span<const NodeIndex> feasible) {
    ranked_resources(ctx.pod.pod, resources_);
    remaining_after_placement(ctx.cluster, ctx.pod.pod, resources_, feasible, remaining_);
    std::size_t best = 0;
    for (std::size_t i = 1; i < feasible.size(); ++i)
      if (remaining_[i] < remaining_[best]) best = i;
    return feasible[best];
  }

  std::string policy_name_;
  std::unique_ptr<gpushare::GpuPolicy> policy_;
  std::vector<gpushare::TypicalPod> typical_;
  framework::TieBreaker ring_;
  const state::ClusterState* prepared_for_ = nullptr;
  std::uint64_t prepared_seed_ = 0;
  std::vector<std::int64_t> scores_;
  std::vector<gpushare::DeviceSet> devices_;
  std::uint8_t last_devices_ = 0;
  std::vector<state::ResourceId> resources_;
  std::vector<double> remaining_;
};

AlgorithmDescriptor gpu_policy_descriptor(std::string name, std::string idea, std::string origin) {
  return {name, std::move(idea), std::move(origin), {}, nullptr, [name](const KnobValues&) {
            return Algorithm{"", std::make_shared<GpuPolicyChooser>(name), nullptr, 0};
          }};
}

}  // namespace

std::vector<AlgorithmDescriptor> gpu_policy_descriptors() {
  const std::string paper = "Weng et al., ATC'23 (FGD), artifact ";
  const std::string fallback = "; without GPU sharing: as best-fit";
  return {gpu_policy_descriptor("fgd",
                                "GPU sharing: the feasible node whose GPU fragmentation (against the input's typical pods) "
                                "grows least" + fallback,
                                paper + "fgd_score.go"),
          gpu_policy_descriptor("dot-product",
                                "GPU sharing: the feasible node whose free cpu/GPU vector best aligns with the pod's "
                                "request" + fallback,
                                paper + "dot_product_score.go"),
          gpu_policy_descriptor("gpu-packing",
                                "GPU sharing: prefer partly used GPUs, then used nodes, then idle ones" + fallback,
                                paper + "gpu_packing_score.go"),
          gpu_policy_descriptor("gpu-clustering",
                                "GPU sharing: keep pods of one GPU request type together" + fallback,
                                paper + "gpu_clustering_score.go")};
}

}  // namespace podium::algorithms
