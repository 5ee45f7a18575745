package io.jointly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jointly.psi.IdentifierProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenDataCommandTest {
  @TempDir Path dir;

  private static int run(String... args) {
    return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void genData_overlapRequested_partnerPhonesNormaliseToThatManyBankPhones() throws Exception {
    assertThat(run("gen-data", "--out", dir.toString(), "--customers", "2000", "--overlap", "0.3", "--seed", "7"))
        .isZero();
    CsvTable bank = CsvTable.read(dir.resolve("bank.csv"), (char) 0);
    CsvTable partner = CsvTable.read(dir.resolve("partner.csv"), (char) 0);
    assertThat(bank.header()).containsExactlyElementsOf(SyntheticCampaign.BANK_HEADER);
    assertThat(partner.header()).containsExactlyElementsOf(SyntheticCampaign.PARTNER_HEADER);
    assertThat(bank.rowCount()).isEqualTo(2000);
    Set<String> bankPhones = new HashSet<>();
    for (String m : bank.columnValues(bank.column("mobile"))) {
      bankPhones.add(IdentifierProfile.PHONE.normalize(m).orElseThrow());
    }
    int shared = 0;
    for (String m : partner.columnValues(partner.column("phone"))) {
      if (bankPhones.contains(IdentifierProfile.PHONE.normalize(m).orElseThrow())) {
        shared++;
      }
    }
    assertThat(shared).isEqualTo(600);
    long responders =
        bank.columnValues(bank.column("responded")).stream().filter("1"::equals).count();
    assertThat(responders).isBetween(20L, 200L); // about 3 %
  }

  @Test
  void genData_sameSeed_sameFiles() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    run("gen-data", "--out", a.toString(), "--customers", "300", "--seed", "3");
    run("gen-data", "--out", b.toString(), "--customers", "300", "--seed", "3");
    assertThat(Files.readString(a.resolve("bank.csv"))).isEqualTo(Files.readString(b.resolve("bank.csv")));
    assertThat(Files.readString(a.resolve("partner.csv")))
        .isEqualTo(Files.readString(b.resolve("partner.csv")));
  }

  @Test
  void genData_badOverlap_isUsageError() {
    assertThat(run("gen-data", "--out", dir.toString(), "--overlap", "1.5")).isEqualTo(2);
  }

  @Test
  void genData_sharedCustomers_areSpreadOverTheBankFile() throws Exception {
    assertThat(run("gen-data", "--out", dir.toString(), "--customers", "2000", "--overlap", "0.4", "--seed", "5"))
        .isZero();
    Map<String, Integer> partnerRow = partnerRowsByPhone();
    List<String> mobiles = bankColumn("mobile");
    int sharedInFirst800 = 0;
    int sharedInRest = 0;
    for (int i = 0; i < mobiles.size(); i++) {
      if (partnerRow.containsKey(IdentifierProfile.PHONE.normalize(mobiles.get(i)).orElseThrow())) {
        if (i < 800) {
          sharedInFirst800++;
        } else {
          sharedInRest++;
        }
      }
    }
    // 800 shared customers drawn at random: about 320 of them among the first 800 rows, not all.
    assertThat(sharedInFirst800 + sharedInRest).isEqualTo(800);
    assertThat(sharedInFirst800).isBetween(240, 400);
  }

  @Test
  void genData_lifecycleStage_followsThePartnersEngagementColumns() throws Exception {
    assertThat(run("gen-data", "--out", dir.toString(), "--customers", "5000", "--overlap", "0.6", "--seed", "9"))
        .isZero();
    Map<String, Integer> partnerRow = partnerRowsByPhone();
    CsvTable partner = CsvTable.read(dir.resolve("partner.csv"), (char) 0);
    List<String> orders = partner.columnValues(partner.column("order_frequency"));
    List<String> mobiles = bankColumn("mobile");
    List<String> stages = bankColumn("lifecycle_stage");
    Map<String, double[]> sumAndCount = new HashMap<>();
    for (int i = 0; i < mobiles.size(); i++) {
      Integer row = partnerRow.get(IdentifierProfile.PHONE.normalize(mobiles.get(i)).orElseThrow());
      if (row != null) {
        double[] sc = sumAndCount.computeIfAbsent(stages.get(i), k -> new double[2]);
        sc[0] += Integer.parseInt(orders.get(row));
        sc[1]++;
      }
    }
    assertThat(sumAndCount).containsOnlyKeys("new", "active", "churn_risk", "dormant");
    double active = sumAndCount.get("active")[0] / sumAndCount.get("active")[1];
    double dormant = sumAndCount.get("dormant")[0] / sumAndCount.get("dormant")[1];
    double share = sumAndCount.get("dormant")[1] / 3000;
    // Active customers order more at the partner than dormant ones (order frequency is 2 + 3 ×
    // engagement plus noise; dormant means low engagement); dormant is about a sixth of customers.
    assertThat(active - dormant).isGreaterThan(2.0);
    assertThat(share).isBetween(0.12, 0.22);
  }

  private List<String> bankColumn(String name) throws Exception {
    CsvTable bank = CsvTable.read(dir.resolve("bank.csv"), (char) 0);
    return bank.columnValues(bank.column(name));
  }

  /** The partner's row index by normalised phone. */
  private Map<String, Integer> partnerRowsByPhone() throws Exception {
    CsvTable partner = CsvTable.read(dir.resolve("partner.csv"), (char) 0);
    List<String> phones = partner.columnValues(partner.column("phone"));
    Map<String, Integer> rows = new HashMap<>();
    for (int i = 0; i < phones.size(); i++) {
      rows.put(IdentifierProfile.PHONE.normalize(phones.get(i)).orElseThrow(), i);
    }
    return rows;
  }
}
