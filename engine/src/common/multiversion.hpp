#pragma once
// PODIUM_MULTIVERSION: build a hot loop three times — x86-64-v4 (AVX-512), x86-64-v3 (AVX2)
// and the baseline — and let the dynamic loader pick the one the CPU runs best
// (GCC target_clones). The package stays portable; the machine still gets its vector width.
//
// ThreadSanitizer builds get the baseline only: the loader runs each clone's resolver while
// it relocates the binary, before TSan's runtime exists, and an instrumented resolver
// crashes there. The results are the same either way (the tests compare them).
//
// Clang (the fuzz preset) gets the baseline too: clang 14 does not multiversion function
// templates, and the fuzz targets exercise the parsers, not the kernels' vector width.

#if defined(__SANITIZE_THREAD__) || defined(__clang__)
#define PODIUM_MULTIVERSION
#else
#define PODIUM_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
