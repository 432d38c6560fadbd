package dev.kronet.gkpd.search;

import dev.kronet.gkpd.cost.ConvShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Every factorisation of a convolution weight shape {@code [F, C, kh, kw]} into A ⊗ B: each
 * dimension is split as a product of two divisors ({@code F = F1·F2}, …, spatial dimensions
 * included), giving {@code d(F)·d(C)·d(kh)·d(kw)} pairs where d counts divisors. The trivial splits
 * (A or B all ones) are included: with R̂ = 1 they hold W exactly at |W| + 1 parameters.
 */
public final class FactorShapes {
  private FactorShapes() {}

  /** All factor pairs of {@code w}, A's dimensions ascending in the order F, C, kh, kw. */
  public static List<FactorPair> enumerate(ConvShape w) {
    List<FactorPair> out = new ArrayList<>();
    for (int f1 : divisors(w.f())) {
      for (int c1 : divisors(w.c())) {
        for (int h1 : divisors(w.kh())) {
          for (int k1 : divisors(w.kw())) {
            out.add(
                new FactorPair(
                    new ConvShape(f1, c1, h1, k1),
                    new ConvShape(w.f() / f1, w.c() / c1, w.kh() / h1, w.kw() / k1)));
          }
        }
      }
    }
    return out;
  }

  /** The divisors of {@code n ≥ 1}, ascending. */
  public static List<Integer> divisors(int n) {
    List<Integer> d = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      if (n % i == 0) {
        d.add(i);
      }
    }
    return d;
  }
}
