package dev.agora.registry.catalog;

import dev.agora.common.error.AgoraException;
import dev.agora.proto.registry.v1.Model;
import dev.agora.proto.registry.v1.RiskLevel;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a model's descriptive fields may hold. Checked on CreateModel and on the result of every
 * UpdateModel, reporting every violation at once.
 *
 * <ul>
 *   <li>display_name at most {@value #DISPLAY_NAME_CHARS} characters, summary at most {@value
 *       #SUMMARY_CHARS}, business_unit, domain, task and license at most {@value #LABEL_CHARS}: one
 *       line each
 *   <li>description: Markdown, at most {@value #DESCRIPTION_CHARS} characters
 *   <li>owner_team: empty or a team name (the model-name rules: a DNS label)
 *   <li>tags: at most {@value #MAX_TAGS}, distinct, each 1-50 lower-case letters, digits or '-',
 *       starting with a letter or digit
 *   <li>contacts: at most {@value #MAX_CONTACTS}, distinct, each an e-mail address or an https URL
 *   <li>risk_level: one of the defined levels (unspecified allowed until governance needs it)
 * </ul>
 */
public final class ModelRules {
  static final int DISPLAY_NAME_CHARS = 100;
  static final int SUMMARY_CHARS = 300;
  static final int LABEL_CHARS = 100;
  static final int DESCRIPTION_CHARS = 65_536;
  static final int MAX_TAGS = 32;
  static final int MAX_CONTACTS = 16;

  private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
  private static final int CONTACT_CHARS = 254;

  private ModelRules() {}

  /**
   * Checks every descriptive field of {@code model}.
   *
   * @param prefix the request path of the model message, e.g. {@code "model."}
   * @throws AgoraException {@code INVALID_FIELD} naming each violated field
   */
  public static void check(Model model, String prefix) {
    FieldViolations violations = new FieldViolations();
    violations.singleLine(prefix + "display_name", model.getDisplayName(), DISPLAY_NAME_CHARS);
    violations.singleLine(prefix + "summary", model.getSummary(), SUMMARY_CHARS);
    violations.markdown(prefix + "description", model.getDescription(), DESCRIPTION_CHARS);
    violations.singleLine(prefix + "business_unit", model.getBusinessUnit(), LABEL_CHARS);
    violations.singleLine(prefix + "domain", model.getDomain(), LABEL_CHARS);
    violations.singleLine(prefix + "task", model.getTask(), LABEL_CHARS);
    violations.singleLine(prefix + "license", model.getLicense(), LABEL_CHARS);
    if (!model.getOwnerTeam().isEmpty() && !CatalogNames.isModelName(model.getOwnerTeam())) {
      violations.add(
          prefix + "owner_team",
          "must be a team name: 1 to 63 lower-case letters, digits or '-', starting with a letter");
    }
    if (model.getRiskLevel() == RiskLevel.UNRECOGNIZED) {
      violations.add(prefix + "risk_level", "must be LOW, MEDIUM or HIGH");
    }
    checkTags(model.getTagsList(), prefix + "tags", violations);
    checkContacts(model.getContactsList(), prefix + "contacts", violations);
    violations.throwIfAny();
  }

  private static void checkTags(List<String> tags, String field, FieldViolations violations) {
    violations.atMost(field, tags.size(), MAX_TAGS);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      if (!TAG.matcher(tag).matches()) {
        violations.add(
            field + "[" + i + "]",
            "must be 1 to 50 lower-case letters, digits or '-', starting with a letter or digit;"
                + " got '"
                + tag
                + "'");
      } else if (!seen.add(tag)) {
        violations.add(field + "[" + i + "]", "repeats the tag '" + tag + "'");
      }
    }
  }

  private static void checkContacts(
      List<String> contacts, String field, FieldViolations violations) {
    violations.atMost(field, contacts.size(), MAX_CONTACTS);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < contacts.size(); i++) {
      String contact = contacts.get(i);
      if (contact.length() > CONTACT_CHARS || !(isEmail(contact) || isHttpsUrl(contact))) {
        violations.add(
            field + "[" + i + "]",
            "must be an e-mail address or an https URL of at most "
                + CONTACT_CHARS
                + " characters; got '"
                + contact
                + "'");
      } else if (!seen.add(contact)) {
        violations.add(field + "[" + i + "]", "repeats the contact '" + contact + "'");
      }
    }
  }

  private static boolean isEmail(String contact) {
    return EMAIL.matcher(contact).matches();
  }

  private static boolean isHttpsUrl(String contact) {
    try {
      URI uri = new URI(contact);
      return "https".equals(uri.getScheme()) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
