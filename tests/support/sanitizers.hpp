#pragma once
// Which sanitizer this test binary is built with, for tests that scale their work down
// under ThreadSanitizer (10-20x slower): there only the parallel runs are the point; the
// single-threaded and reference-oracle comparisons run in the release and ASan builds.

namespace podium::testing {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kThreadSanitizer = true;
#else
inline constexpr bool kThreadSanitizer = false;
#endif

}  // namespace podium::testing
