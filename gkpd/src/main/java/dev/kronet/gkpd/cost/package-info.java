/**
 * Parameter and FLOP accounting of a dense convolution and of a KroneckerConvolution layer (eq.
 * 16–18). FLOPs are counted as multiply-adds (MACs): one multiply-add of a weight with an input
 * value is one MAC; bias additions and the (R̂−1)·F·H'·W' additions that merge the R̂ terms are not
 * counted. Parameter counts are weights only (no bias), as in eq. (16).
 */
package dev.kronet.gkpd.cost;
