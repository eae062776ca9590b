#pragma once
// Status: the outcome of one extension point, in kube-scheduler's vocabulary
// (k8s.io/kube-scheduler/framework Code). Expected outcomes are values, never exceptions.

#include <string>
#include <utility>
#include <vector>

namespace podium::framework {

enum class Code {
  kSuccess,
  kError,                          // a bug or an impossible state: aborts the pod's cycle
  kUnschedulable,                  // the node (or pod) does not fit now; preemption might help
  kUnschedulableAndUnresolvable,   // it will not fit whatever is preempted
  kSkip,                           // PreFilter/PreScore: the plugin has nothing to do for this pod
};

const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  explicit Status(Code code, std::vector<std::string> reasons = {}) : code_(code), reasons_(std::move(reasons)) {}
  static Status unschedulable(std::string reason) { return Status(Code::kUnschedulable, {std::move(reason)}); }
  static Status unresolvable(std::string reason) {
    return Status(Code::kUnschedulableAndUnresolvable, {std::move(reason)});
  }

  Code code() const { return code_; }
  bool ok() const { return code_ == Code::kSuccess; }
  bool is_skip() const { return code_ == Code::kSkip; }
  // Unschedulable or UnschedulableAndUnresolvable (upstream Status.IsRejected).
  bool is_rejected() const { return code_ == Code::kUnschedulable || code_ == Code::kUnschedulableAndUnresolvable; }
  const std::vector<std::string>& reasons() const { return reasons_; }
  // Reasons joined by ", " (upstream Status.Message).
  std::string message() const;

  // The plugin that produced the status; set by the framework runner.
  const std::string& plugin() const { return plugin_; }
  Status& with_plugin(std::string plugin) {
    plugin_ = std::move(plugin);
    return *this;
  }

 private:
  Code code_ = Code::kSuccess;
  std::vector<std::string> reasons_;
  std::string plugin_;
};

}  // namespace podium::framework
