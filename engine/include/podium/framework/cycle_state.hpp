#pragma once
// CycleState: per-pod scratch that PreFilter/PreScore write and Filter/Score read
// (upstream framework.CycleState). Each plugin owns one slot, assigned when the profile is
// built. Objects are reused from pod to pod (get_or_create returns the previous pod's
// object for the plugin to overwrite), so steady-state scheduling does not allocate.
//
// Thread-safety: written only by the scheduling thread in Pre* hooks; read concurrently by
// Filter/Score workers afterwards, which is safe because the writes happen-before the
// parallel loop starts (oneTBB's task spawn is a release/acquire point).

#include <cstddef>
#include <memory>
#include <vector>

namespace podium::framework {

struct StateData {
  virtual ~StateData() = default;
};

class CycleState {
 public:
  explicit CycleState(std::size_t slots = 0) : data_(slots) {}

  template <class T>
  T& get_or_create(std::size_t slot) {
    if (!data_[slot]) data_[slot] = std::make_unique<T>();
    return static_cast<T&>(*data_[slot]);
  }
  template <class T>
  const T& get(std::size_t slot) const {
    return static_cast<const T&>(*data_[slot]);
  }

 private:
  std::vector<std::unique_ptr<StateData>> data_;
};

}  // namespace podium::framework
