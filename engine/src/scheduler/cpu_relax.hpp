#pragma once
// One step of a spin-wait: the x86 PAUSE hint (lets the sibling hyperthread run and keeps
// the loop from flooding the memory order buffer); nothing elsewhere. Shared by the spin
// loops of SpinPartner, PartnerRefresh and ClassCache::hold.

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace podium::scheduler {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

}  // namespace podium::scheduler
