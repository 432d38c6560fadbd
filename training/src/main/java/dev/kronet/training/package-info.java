/**
 * The training side of kronet: optimisers ({@code optim}), learning-rate schedules ({@code
 * schedule}), the loop and its reporting ({@code loop}), and the command line ({@code cli}).
 */
package dev.kronet.training;
