/**
 * Learning-rate schedules (constant, multi-step, cosine, linear warm-up) as functions of the step.
 */
package dev.kronet.training.schedule;
