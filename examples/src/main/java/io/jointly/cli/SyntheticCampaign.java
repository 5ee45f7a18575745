package io.jointly.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic but realistic data for a bank × e-commerce partner credit-card campaign.
 *
 * <p>Every person has three hidden traits: affluence, digital engagement and travel propensity.
 * The bank sees affluence through AUM tier, products and age; the partner sees engagement and
 * travel through order frequency, spend, category and travel frequency. The campaign response
 * (about 3 % positive among bank customers) depends on all three traits, so a model that joins the
 * partner's columns beats a bank-only one — as it would in life. The bank's lifecycle stage
 * follows engagement, so its segments differ in the partner's columns. The partner has a random
 * subset of the bank's customers (the overlap), writes their mobiles in other formats, and has
 * customers of its own.
 *
 * <p>Deterministic in the seed ({@link SplittableRandom}); this is test data, not a secret.
 */
final class SyntheticCampaign {
  static final List<String> BANK_HEADER =
      List.of(
          "customer_no",
          "mobile",
          "age_band",
          "aum_tier",
          "products_held",
          "lifecycle_stage",
          "risk_level",
          "responded");
  static final List<String> PARTNER_HEADER =
      List.of(
          "member_id", "phone", "order_frequency", "spend_band", "category_pref", "travel_frequency");

  private static final String[] AGE_BANDS = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
  private static final String[] LIFECYCLE = {"new", "active", "dormant", "churn_risk"};
  private static final String[] RISK = {"R1", "R2", "R3", "R4", "R5"};
  private static final String[] CATEGORIES = {
    "electronics", "fashion", "groceries", "home", "beauty", "travel", "books", "sports"
  };
  private static final int[] MOBILE_PREFIXES = {
    130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159, 166, 176, 177,
    180, 181, 182, 183, 186, 187, 188, 189, 191, 198, 199
  };

  private record Person(String mobile, double affluence, double engagement, double travel) {}

  private SyntheticCampaign() {}

  /** Result counts, for the command's summary. */
  record Summary(int bankRows, int partnerRows, int shared, int responders) {}

  static Summary write(Path dir, int customers, double overlap, long seed) throws IOException {
    if (customers < 1) {
      throw new IllegalArgumentException("customers must be positive");
    }
    if (!(overlap >= 0 && overlap <= 1)) {
      throw new IllegalArgumentException("overlap must be between 0 and 1");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int shared = (int) Math.round(customers * overlap);
    int partnerOnly = customers - shared + customers / 5;
    Set<String> used = new HashSet<>();
    List<Person> bankPeople = new ArrayList<>(customers);
    for (int i = 0; i < customers; i++) {
      bankPeople.add(person(rnd, used));
    }
    // The shared customers are a random subset of the bank's, not its first rows.
    List<Person> partnerPeople = new ArrayList<>(bankPeople);
    shuffle(partnerPeople, rnd);
    partnerPeople.subList(shared, partnerPeople.size()).clear();
    for (int i = 0; i < partnerOnly; i++) {
      partnerPeople.add(person(rnd, used));
    }
    shuffle(partnerPeople, rnd);

    int[] responders = {0};
    AtomicOutput.write(
        dir.resolve("bank.csv"),
        w -> {
          line(w, BANK_HEADER);
          for (int i = 0; i < bankPeople.size(); i++) {
            Person p = bankPeople.get(i);
            Bank b = bank(p, rnd);
            boolean responded = rnd.nextDouble() < responseProbability(p, b);
            if (responded) {
              responders[0]++;
            }
            line(
                w,
                List.of(
                    String.format(Locale.ROOT, "C%08d", 10_000_000 + i),
                    p.mobile,
                    b.ageBand,
                    Integer.toString(b.aumTier),
                    Integer.toString(b.products),
                    b.lifecycle,
                    b.risk,
                    responded ? "1" : "0"));
          }
        });
    AtomicOutput.write(
        dir.resolve("partner.csv"),
        w -> {
          line(w, PARTNER_HEADER);
          for (int i = 0; i < partnerPeople.size(); i++) {
            Person p = partnerPeople.get(i);
            int orders = (int) Math.max(0, Math.round(2 + 3 * p.engagement + rnd.nextGaussian()));
            int spend = clamp((int) Math.round(2 + p.engagement + 0.5 * p.affluence + 0.7 * rnd.nextGaussian()), 0, 4);
            String category =
                p.travel > 0.8 && rnd.nextDouble() < 0.6
                    ? "travel"
                    : CATEGORIES[rnd.nextInt(CATEGORIES.length)];
            int trips = (int) Math.max(0, Math.round(1 + 1.5 * p.travel + 0.6 * rnd.nextGaussian()));
            line(
                w,
                List.of(
                    String.format(Locale.ROOT, "M%09d", 300_000_000 + i),
                    partnerFormat(p.mobile, rnd),
                    Integer.toString(orders),
                    "S" + spend,
                    category,
                    Integer.toString(trips)));
          }
        });
    return new Summary(customers, partnerPeople.size(), shared, responders[0]);
  }

  private record Bank(String ageBand, int aumTier, int products, String lifecycle, String risk) {}

  private static Bank bank(Person p, SplittableRandom rnd) {
    int age = clamp((int) Math.round(2.2 + 0.8 * p.affluence - 0.4 * p.engagement + rnd.nextGaussian()), 0, 5);
    int aum = clamp((int) Math.round(2 + 1.1 * p.affluence + 0.6 * rnd.nextGaussian()), 0, 5);
    int products = clamp((int) Math.round(2 + 0.8 * p.affluence + 0.8 * rnd.nextGaussian()), 1, 8);
    // About 12 % new customers; the others are active, churn risk or dormant by how engaged (and
    // a little, how affluent) they are, so the bank's segments differ in the partner's columns as
    // they would in life: about 62 % active, 9 % churn risk, 17 % dormant.
    double activity = p.engagement + 0.3 * p.affluence + 0.5 * rnd.nextGaussian();
    String lifecycle =
        rnd.nextDouble() < 0.12
            ? LIFECYCLE[0]
            : activity < -1.0 ? LIFECYCLE[2] : activity < -0.6 ? LIFECYCLE[3] : LIFECYCLE[1];
    String risk = RISK[clamp((int) Math.round(2 + 0.5 * p.affluence + rnd.nextGaussian()), 0, 4)];
    return new Bank(AGE_BANDS[age], aum, products, lifecycle, risk);
  }

  /** The hidden truth: logistic in all three traits, calibrated to about 3 % positives. */
  private static double responseProbability(Person p, Bank b) {
    double lifecycle =
        switch (b.lifecycle) {
          case "new" -> 0.3;
          case "active" -> 0.2;
          case "dormant" -> -0.6;
          default -> -0.2;
        };
    double z =
        -4.3
            + 0.35 * (b.aumTier - 2)
            + 0.15 * (b.products - 2)
            + lifecycle
            + 0.9 * p.engagement
            + 0.7 * p.travel;
    return 1 / (1 + Math.exp(-z));
  }

  private static Person person(SplittableRandom rnd, Set<String> used) {
    String mobile;
    do {
      int prefix = MOBILE_PREFIXES[rnd.nextInt(MOBILE_PREFIXES.length)];
      mobile = String.format(Locale.ROOT, "%03d%08d", prefix, rnd.nextInt(100_000_000));
    } while (!used.add(mobile));
    return new Person(mobile, rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
  }

  /** The same mobile written the way an e-commerce platform's users typed it. */
  static String partnerFormat(String mobile, SplittableRandom rnd) {
    String a = mobile.substring(0, 3);
    String b = mobile.substring(3, 7);
    String c = mobile.substring(7);
    return switch (rnd.nextInt(6)) {
      case 0 -> "+86 " + a + "-" + b + "-" + c;
      case 1 -> "86" + mobile;
      case 2 -> a + " " + b + " " + c;
      case 3 -> "(+86) " + mobile;
      case 4 -> "+86" + mobile;
      default -> mobile;
    };
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  private static void line(Writer w, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(CsvTable.quote(fields.get(i), ','));
    }
    w.write('\n');
  }
}
