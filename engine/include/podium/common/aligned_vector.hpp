#pragma once
// std::vector whose buffer starts on a 64-byte boundary (one cache line, one AVX-512
// register), so node columns never share a line with a neighbour and loads over them
// can be aligned.

#include <cstddef>
#include <new>
#include <vector>

namespace podium {

template <class T, std::size_t Alignment = 64>
struct AlignedAllocator {
  using value_type = T;
  static_assert(Alignment >= alignof(T), "alignment must be at least the type's own");

  AlignedAllocator() noexcept = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U, Alignment>&) noexcept {}  // NOLINT: allocator rebind

  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{Alignment}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{Alignment}); }

  template <class U>
  struct rebind { using other = AlignedAllocator<U, Alignment>; };

  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) noexcept { return true; }
};

template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace podium
