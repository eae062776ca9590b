#pragma once
// The built-in algorithms' descriptors, one function per algorithm folder; builtin.cpp
// wires them into the registry in the order `podium algorithms` lists them.

#include <vector>

#include "podium/algorithms/algorithm.hpp"

namespace podium::algorithms {

std::vector<AlgorithmDescriptor> builtin_algorithms();

AlgorithmDescriptor first_fit_descriptor();   // fit/
AlgorithmDescriptor best_fit_descriptor();    // fit/
AlgorithmDescriptor worst_fit_descriptor();   // fit/
AlgorithmDescriptor random_descriptor();      // random/
AlgorithmDescriptor power_of_k_descriptor();  // power_of_k/
AlgorithmDescriptor tetris_descriptor();      // tetris/
AlgorithmDescriptor flow_descriptor();        // flow/
std::vector<AlgorithmDescriptor> gpu_policy_descriptors();  // gpushare/: fgd, dot-product, gpu-packing, gpu-clustering

}  // namespace podium::algorithms
