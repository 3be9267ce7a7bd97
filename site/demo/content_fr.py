"""The demo in French, as a French sports and outdoor retailer's community team
writes it (docs/translation.md): every text of the English demo, under the name
of the English constant it replaces (``seed_demo --language fr``, see
``cocreate.demo.context.in_language``).

Only the texts differ: slugs, dates, thresholds, stocks and the number of texts
in each list are the English ones, so the French demo has the same structure and
the same draws. Where a spec mixes texts and settings, ``_overlay`` takes the
settings from the English spec.
"""

from __future__ import annotations

from cocreate.demo import pages, panel, rewards
from cocreate.demo.pages import _question, _rich
from ideas.models import IdeaStatus


def _overlay(english: tuple[dict, ...], texts: tuple[dict, ...]) -> tuple[dict, ...]:
    """The English specs with their texts replaced, one for one."""
    return tuple({**spec, **text} for spec, text in zip(english, texts, strict=True))


# The pages: categories, charter, FAQ, rules, legal pages, home and campaigns.

CATEGORIES = (
    ("running", "Running", "Chaussures, vêtements et équipement pour la route et "
     "le trail."),
    ("hiking", "Randonnée", "Chaussures, sacs et tout le nécessaire pour une "
     "journée en montagne."),
    ("cycling", "Vélo", "Vélos, éclairages, sacoches, et rouler par tous les "
     "temps."),
    ("camping", "Camping", "Tentes, couchage, cuisine et nuits à la belle étoile."),
    ("swimming", "Natation", "Piscine, lac et mer."),
    ("kids", "Enfants et famille", "L’équipement des plus petits et des sorties "
     "en famille."),
)  # fmt: skip

CONTENT_PAGES = _overlay(
    pages.CONTENT_PAGES,
    (
        {
            "title": "Charte de la communauté",
            "intro": "Comment nous concevons nos produits avec vous, et ce que "
            "nous vous promettons en retour.",
            "body": [
                {"type": "heading", "value": "Pourquoi cette communauté existe"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Les personnes qui utilisent nos produits savent mieux que "
                        "quiconque ce dont elles ont besoin. Ici, vous proposez des "
                        "idées, vous soutenez celles que vous voulez voir naître et "
                        "vous en discutez avec nos designers.",
                    ),
                },
                {"type": "heading", "value": "Nos engagements"},
                {
                    "type": "paragraph",
                    "value": "<ul><li>Chaque idée est lue par une personne.</li>"
                    "<li>Nous expliquons nos décisions publiquement.</li>"
                    "<li>Nous citons les membres dont nous réalisons les idées."
                    "</li></ul>",
                },
                {
                    "type": "callout",
                    "value": {
                        "title": "La bienveillance d’abord",
                        "text": "Critiquez les idées, jamais les personnes. Ici, "
                        "tout le monde veut de meilleurs produits.",
                    },
                },
            ],
        },
        {
            "title": "Questions fréquentes",
            "intro": "Tout sur les idées, les soutiens et les campagnes.",
            "body": [
                _question(
                    "Qui peut proposer une idée ?",
                    _rich("Tout membre dont l’adresse e-mail est confirmée."),
                ),
                _question(
                    "À quoi sert de soutenir une idée ?",
                    _rich(
                        "À montrer à nos équipes produit que vous la voulez. "
                        "Certaines campagnes fixent un nombre de soutiens à partir "
                        "duquel l’équipe de la marque étudie l’idée."
                    ),
                ),
                _question(
                    "Pourquoi mon idée n’est-elle pas encore visible ?",
                    _rich(
                        "Certaines campagnes relisent chaque idée avant de la "
                        "publier. En attendant, vous voyez la vôtre, avec un "
                        "message qui vous le signale."
                    ),
                ),
                _question(
                    "Puis-je modifier mon idée après l’avoir publiée ?",
                    _rich(
                        "Oui, tant que personne ne l’a soutenue, et dans tous les "
                        "cas pendant la première demi-heure."
                    ),
                ),
            ],
        },
        {
            "title": "Règles de participation",
            "intro": "Des règles courtes, pour que chacun prenne plaisir à participer.",
            "body": [
                {
                    "type": "paragraph",
                    "value": "<ol><li>Une idée par publication, avec un titre "
                    "clair.</li>"
                    "<li>Ne publiez que des photos que vous avez prises ou que vous "
                    "avez le droit de partager.</li>"
                    "<li>Pas de publicité, ni de données personnelles d’autres "
                    "personnes.</li>"
                    "<li>Cherchez avant de publier : soutenez une idée existante "
                    "plutôt que de la proposer une deuxième fois.</li></ol>",
                },
                {
                    "type": "paragraph",
                    "value": _rich(
                        "L’équipe de modération peut masquer un contenu qui "
                        "enfreint ces règles, et vous explique pourquoi."
                    ),
                },
            ],
        },
    ),
)

LEGAL_PAGES = _overlay(
    pages.LEGAL_PAGES,
    (
        {
            "title": "Conditions d’utilisation",
            "intro": "Ce qui nous engage, vous et nous, quand vous participez à "
            "la communauté.",
            "body": [
                {"type": "heading", "value": "1. Qui sommes-nous"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Cette communauté est animée par la marque dont elle "
                        "présente les produits. En créant un compte, vous acceptez "
                        "ces conditions ; si vous ne les acceptez pas, vous pouvez "
                        "tout de même tout lire sans compte."
                    ),
                },
                {"type": "heading", "value": "2. Votre compte"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Vous devez avoir une adresse e-mail confirmée et au moins "
                        "16 ans. Gardez votre mot de passe pour vous et activez la "
                        "double authentification si vous le pouvez. Une personne, "
                        "un compte.",
                    ),
                },
                {"type": "heading", "value": "3. Vos idées et vos commentaires"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Vous gardez les droits sur ce que vous publiez. Vous nous "
                        "accordez une licence gratuite, mondiale et non exclusive "
                        "pour le publier ici, et pour utiliser, adapter et "
                        "développer vos idées dans nos produits, sans autre "
                        "contrepartie que les points de récompense de ce site.",
                        "Ne publiez que ce que vous avez le droit de partager : vos "
                        "propres mots et vos propres photos, aucune donnée "
                        "personnelle d’autres personnes, rien de confidentiel.",
                    ),
                },
                {"type": "heading", "value": "4. Les points de récompense"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Les points n’ont aucune valeur monétaire tant que vous ne "
                        "les échangez pas dans le catalogue. Nous pouvons annuler "
                        "les points obtenus de façon abusive (comptes multiples, "
                        "soutiens achetés) et modifier le catalogue avec un préavis "
                        "de trente jours."
                    ),
                },
                {"type": "heading", "value": "5. Modération et fermeture du compte"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Notre équipe de modération applique les règles de "
                        "participation et vous explique pourquoi elle masque un "
                        "contenu ou suspend un compte. Vous pouvez supprimer votre "
                        "compte à tout moment depuis vos paramètres."
                    ),
                },
            ],
        },
        {
            "title": "Politique de confidentialité",
            "intro": "Ce que nous collectons, pourquoi, pendant combien de temps, "
            "et vos droits.",
            "body": [
                {"type": "heading", "value": "Ce que nous collectons"},
                {
                    "type": "paragraph",
                    "value": "<ul><li>Votre adresse e-mail, votre nom affiché et "
                    "votre avatar.</li>"
                    "<li>Ce que vous publiez, soutenez, suivez et signalez.</li>"
                    "<li>Vos points de récompense et, quand vous les échangez, les "
                    "informations nécessaires à la livraison (une adresse, un "
                    "compte bancaire pour un virement).</li>"
                    "<li>Des journaux techniques conservés pour la sécurité, puis "
                    "supprimés selon un calendrier fixe.</li></ul>",
                },
                {"type": "heading", "value": "Pourquoi"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Pour faire vivre la communauté (notre contrat avec vous), "
                        "pour la protéger (notre intérêt légitime) et, seulement si "
                        "vous l’acceptez, pour vous contacter au sujet de vos "
                        "idées, vous inviter à des études produit ou vous envoyer "
                        "nos actualités. Vous changez ces choix à tout moment dans "
                        "les consentements de votre compte."
                    ),
                },
                {"type": "heading", "value": "Pendant combien de temps"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Les données de votre compte, tant que vous le gardez. Les "
                        "notifications lues, 90 jours ; les comptes jamais "
                        "confirmés, 14 jours ; les journaux techniques, 30 jours. "
                        "L’historique des points et des virements est conservé "
                        "aussi longtemps que l’exige le droit comptable, sans votre "
                        "nom une fois votre compte supprimé."
                    ),
                },
                {"type": "heading", "value": "Vos droits"},
                {
                    "type": "paragraph",
                    "value": _rich(
                        "Vous pouvez consulter, télécharger, rectifier et supprimer "
                        "vos données, vous opposer à leur utilisation et retirer "
                        "tout consentement, depuis votre compte ou en écrivant à "
                        "notre délégué à la protection des données. Vous pouvez "
                        "aussi adresser une réclamation à la CNIL.",
                        "Nous n’utilisons aucun traceur tiers et ne déposons aucun "
                        "cookie en dehors des cookies de session, de sécurité et "
                        "de langue.",
                    ),
                },
            ],
        },
    ),
)

HOME = {
    "hero_title": "Imaginez l’équipement de vos sorties",
    "hero_text": "<p>Proposez des idées pour les produits que vous utilisez, "
    "soutenez celles que vous voulez voir naître et échangez-en avec nos "
    'designers. Lisez notre <a linktype="page" id="{charter}">charte de la '
    "communauté</a>.</p>",
    "hero_cta_label": "Proposer une idée",
    "hero_image": "Des idées nées dehors",
}

CAMPAIGNS = _overlay(
    pages.CAMPAIGNS,
    (
        {
            "title": "Le trail, réinventé",
            "summary": "Chaussures, gilets, lampes : qu’est-ce qui rendrait votre "
            "prochain trail meilleur ?",
            "brief": _rich(
                "Notre équipe trail conçoit la gamme 2027. Dites-nous ce qui vous "
                "gêne sur les sentiers, et soutenez les idées que vous voulez voir "
                "en magasin.",
            ),
        },
        {
            "title": "Camping zéro déchet",
            "summary": "Aidez-nous à ne laisser derrière nous que des traces de pas.",
            "brief": _rich(
                "Emballages, combustible, nourriture, réparations : comment le "
                "matériel de camping doit-il évoluer pour qu’un week-end dehors ne "
                "laisse aucun déchet ? Notre équipe de modération relit chaque "
                "idée avant de la publier.",
            ),
        },
        {
            "title": "Le vélo en ville",
            "summary": "Aller au travail, faire ses courses, emmener les enfants à "
            "l’école : à vélo.",
            "brief": _rich(
                "Cette campagne est terminée. Merci pour vos idées : l’équipe "
                "produit étudie les meilleures."
            ),
        },
    ),
)

# The people. The same accounts; the community has French names, and those of
# the English demo who already had one keep it (and their email address).

DEMO_ACCOUNTS = (
    ("member@example.com", "Membre démo", None),
    ("moderator@example.com", "Modération démo", "Moderators"),
    ("product@example.com", "Équipe produit démo", "Product team"),
    ("editor@example.com", "Rédaction démo", "Editors"),
)
MEMBER_NAMES = (
    "Amélie Laurent", "Julien Bertrand", "Sophie Rousseau", "Lucas Mercier",
    "Inès Moreau", "Mathis Garnier", "Hélène Fournier", "Noah Dubois",
    "Chloé Martin", "Louis Fontaine", "Manon Chevalier", "Yanis Benali",
    "Claire Lambert", "Arthur Lefèvre", "Margaux Perrin", "Émile Bonnet",
    "Léa Girard", "Olivier Lemoine", "Zoé Bernard", "Karim Haddad",
    "Camille Faure", "Hugo Petit", "Pauline Mathieu", "Thomas Blanc",
    "Fanny Lemaire", "Samuel Diallo", "Alice Marchand", "Baptiste Morel",
    "Juliette Caron", "Théo Roux",
)  # fmt: skip
NUMBERED_MEMBER = "Membre {n}"

# The ideas. Products carry their article: its gender is the noun's.

PRODUCTS = {
    "running": ("une chaussure de trail", "un gilet d’hydratation",
                "une lampe frontale", "une veste de pluie",
                "une chaussette de running", "une flasque souple",
                "une casquette de running", "un brassard"),
    "hiking": ("une chaussure de randonnée", "un sac à dos de journée",
               "un bâton de marche", "un poncho de pluie", "un porte-carte",
               "une polaire", "une guêtre", "un coussin d’assise"),
    "cycling": ("un éclairage de vélo", "une sacoche", "un casque",
                "une cape de pluie", "un antivol", "une sacoche de selle",
                "une remorque de vélo", "un gilet réfléchissant"),
    "camping": ("une tente", "un sac de couchage", "un réchaud", "un filtre à eau",
                "une chaise de camping", "une boîte alimentaire", "une lanterne",
                "un tarp"),
    "swimming": ("un masque de natation", "un bonnet de bain",
                 "une combinaison néoprène", "une serviette de plage",
                 "un sac étanche", "un pull-buoy"),
    "kids": ("un sac à dos enfant", "un siège vélo enfant",
             "un ensemble de pluie enfant", "un porte-bébé", "une draisienne",
             "une lampe frontale enfant"),
}  # fmt: skip
# The English tags stay with the English features; TAGS names them in French.
FEATURES = (
    ("qui sèche en une nuit",),
    ("en filets de pêche recyclés",),
    ("aux pièces remplaçables",),
    ("qui se range dans sa propre poche",),
    ("avec éclairage intégré",),
    ("que vous réparez vous-même",),
    ("de moins de 200 g",),
    ("avec réparation à vie",),
    ("à la taille des petites mains",),
    ("avec consigne et recharge",),
    ("avec boucle magnétique",),
    ("sans aucun plastique",),
    ("avec détails phosphorescents",),
    ("qui grandit avec votre enfant",),
    ("pour les matins très froids",),
    ("qui reste agréable en pleine canicule",),
)
# {product} without its article.
OPENINGS = (
    "J’utilise le même modèle de {product} depuis des années, et il y a une chose "
    "que je changerais.",
    "Lors de notre dernière sortie sous la pluie, voilà ce qui m’a manqué.",
    "J’ai acheté plusieurs modèles de {product}, et ils finissent tous au fond "
    "d’un tiroir après une saison.",
    "On en a parlé au club après un long week-end dehors.",
    "Un petit changement qui ferait une grande différence, je vous explique.",
    "Je bricole ça avec du scotch et de la ficelle ; ça devrait exister, tout "
    "simplement.",
)
BENEFITS = (
    "Moins de déchets : on remplace la pièce usée, pas le produit entier.",
    "Moins de poids à porter sur les longues journées.",
    "On voit mieux, et on est mieux vu, à la nuit tombée.",
    "Convient aux débutants comme aux plus expérimentés.",
    "Coûte moins cher à entretenir qu’à remplacer.",
    "Un seul réglage, et toute la famille peut s’en servir.",
    "Se range dans une simple sacoche de vélo.",
    "Fabrication possible près de chez nous, en matière recyclée.",
)
CLOSINGS = (
    "Vous l’utiliseriez ? Dites-le-moi en commentaire.",
    "Vous l’achèteriez ? Alors soutenez-la !",
    "Je me porte volontaire pour tester un prototype.",
    "Qu’est-ce que vous ajouteriez ?",
)
IMAGINE = "Imaginez : **{title}**."
TAKE = " (variante {n})"
TAGS = {
    "comfort": "confort",
    "cycling": "vélo",
    "durable": "durable",
    "hiking": "randonnée",
    "kids": "enfants",
    "lightweight": "léger",
    "night": "nuit",
    "packable": "compact",
    "plastic-free": "sans-plastique",
    "rain": "pluie",
    "recycled": "recyclé",
    "repair": "réparation",
    "safety": "sécurité",
    "summer": "été",
    "swimming": "natation",
    "winter": "hiver",
    "zero-waste": "zéro-déchet",
}
DEMO_MEMBER_IDEAS = (
    ("trail-running-2027", "running", "chaussure de trail",
     "Une chaussure de trail à semelle remplaçable", 30, 12.0),
    (None, "hiking", "veste",
     "Des kits de réparation vendus à côté de chaque veste", 12, 5.0),
    ("zero-waste-camping", "camping", "cartouche de gaz",
     "Une consigne pour les cartouches de gaz de camping", 1, 3.0),
)  # fmt: skip

# What the community said.

COMMENTS = (
    "Je l’achèterais demain.",
    "Super idée, mais comment ça tiendrait dans la boue ?",
    "Mes enfants adoreraient.",
    "Pensez aussi aux grandes tailles, s’il vous plaît.",
    "On a essayé un système du genre avec du scotch, et ça marchait étonnamment bien.",
    "Il faut que ça reste abordable, sinon personne ne changera.",
    "Ça réglerait ce qui m’agace le plus sur les longues sorties à vélo.",
    "Est-ce que ça pourrait se faire **sans plastique** ?",
    "+1, surtout pour la partie réparation.",
    "Je paierais un peu plus si ça durait deux fois plus longtemps.",
    "Le poids me laisse un doute, mais j’adore le concept.",
    "Ajoutez une bande réfléchissante et je signe !",
    "On trouve déjà ce bricolage sur les forums : ça fait plaisir de le voir "
    "devenir un vrai produit.",
    "Et pour le lavage, comment ça se passe ?",
)
REPLIES = (
    "Tout à fait d’accord !",
    "Bien vu, je n’y avais pas pensé.",
    "Une version plus légère pourrait marcher en compétition.",
    "Pareil pour moi, ça m’arrive toutes les semaines.",
    "J’espère que l’équipe de conception lit cette discussion.",
)
AUTHOR_REPLIES = (
    "Merci ! Je l’ajoute à la description.",
    "Bonne question : je resterais simple pour commencer.",
    "Oui, c’est exactement ce que j’avais en tête.",
)
ALT_TEXT = "Croquis de l’idée : {title}"

# The points economy.

REWARDS = _overlay(
    rewards.REWARDS,
    (
        {
            "title": "Bon d’achat de 10 €",
            "description": "Un code de 10 € valable un an dans nos magasins et en "
            "ligne. Vous le retrouvez avec votre solde de points dès l’échange.",
        },
        {
            "title": "Bon de réparation gratuite",
            "description": "Une réparation gratuite de l’un de nos produits, dans "
            "l’atelier de votre choix. De nouveaux codes arrivent au début de "
            "chaque mois ; les demandes en attente sont servies à leur arrivée.",
        },
        {
            "title": "Gourde de la communauté",
            "description": "Une gourde en inox de 750 ml au logo de la "
            "communauté, livrée chez vous.",
        },
        {
            "title": "Planter 10 arbres avec notre partenaire de reboisement",
            "description": "Nous finançons dix arbres, plantés et entretenus par "
            "notre partenaire de reboisement dans les Vosges.",
            "cause": "Reboisement Vallées Vertes",
        },
        {
            "title": "Virement sur votre compte",
            "description": "Vos points deviennent de l’argent sur votre compte "
            "bancaire : 100 points font 1 €, dès 1 000 points. Versé par virement "
            "sous deux semaines.",
        },
    ),
)
WELCOME_MEMO = "Bonus de bienvenue de la démo"
TOP_UP_MEMO = "Récompense pour le test d’un prototype"
SHIPPING = rewards.SHIPPING
FULFIL_NOTE = "Vos dix arbres sont plantés dans les Vosges. Merci !"
REJECT_NOTE = "Nous ne livrons pas à cette adresse : vos points sont recrédités."

# The brand team.

NOTES = {
    IdeaStatus.UNDER_REVIEW: (
        "Beaucoup d’entre vous l’ont demandée : notre équipe produit l’étudie en "
        "ce moment.",
        "Cette idée a atteint le seuil de la campagne. Nous l’étudions ce mois-ci.",
    ),
    IdeaStatus.SHORTLISTED: (
        "Présélectionnée pour la gamme de la saison prochaine. Merci pour tous "
        "ces détails !",
        "Nos designers l’ont retenue pour un premier croquis.",
    ),
    IdeaStatus.IN_RND: (
        "Notre labo fabrique les premiers prototypes ; nous chercherons bientôt "
        "des personnes pour les tester.",
    ),
    IdeaStatus.SHIPPED: (
        "Elle est en magasin dès maintenant. Merci à chaque personne qui y a "
        "contribué !",
    ),
    IdeaStatus.DECLINED: (
        "Nous l’avons étudiée de près, mais nous ne pouvons pas la fabriquer à un "
        "prix juste. Merci !",
        "Un produit proche existe déjà dans notre gamme ; vous trouverez le lien "
        "ci-dessous.",
    ),
}
ANSWERS = (
    "Merci pour cette idée ! Notre équipe produit l’a lue et la piste lui plaît. "
    "Pouvez-vous nous dire dans quelles situations vous l’utiliseriez le plus ?",
    "Excellente suggestion. Nous évaluons ce qu’elle coûterait à fabriquer ; nous "
    "vous donnerons des nouvelles ici.",
    "Nous avons déjà testé quelque chose d’approchant. Qu’est-ce qui rendrait la "
    "vôtre différente ?",
)
REASONS = (
    ("Spam ou publicité", "Votre contribution faisait la publicité d’un produit "
     "ou d’un site. Cocreate est fait pour les idées : partagez la vôtre sans lien "
     "vers une boutique."),
    ("Hors sujet", "Votre contribution ne porte pas sur nos produits. Merci de "
     "garder la discussion sur des idées pour la marque."),
    ("Données personnelles", "Votre contribution montrait des données "
     "personnelles (une adresse, un numéro de téléphone). Nous l’avons masquée "
     "pour vous protéger, vous et les autres."),
    ("Manque de respect", "Votre contribution manquait de respect envers d’autres "
     "membres. Merci de lire notre charte de la communauté."),
)  # fmt: skip
REPORTS = {"spam": "Une pub.", "off_topic": "Hors sujet.", "offensive": "Insultant."}
NEWCOMER_COMMENT = "Première fois ici ! Est-ce que ça existerait en d’autres tailles ?"
WARNING = "Merci de commenter l’idée, pas les autres membres."
NOTICES = (
    ("official_answer", "Réponse officielle sur « {title} »", None),
    (
        "reply",
        "Amélie a répondu à votre commentaire sur « {title} »",
        "Bien vu, je n’avais pas pensé au poids.",
    ),
    (
        "moderation",
        "Votre idée « {title} » est publiée",
        "L’équipe de modération l’a approuvée : tout le monde peut la voir et la "
        "soutenir.",
    ),
)

# The product team.

LAB_ACCOUNT = ("lab@example.com", "Labo R&D démo")
SHORTLISTS = (
    (
        "Chaussures de running 2027",
        "Les idées pour les chaussures route et trail de l’an prochain, et ce qui "
        "va avec.",
        ("running", "hiking"),
    ),
    (
        "La sélection de la saison prochaine",
        "Les idées que nous emmenons en revue de conception cette saison.",
        (),
    ),
)
ENTRY_NOTES = (
    "Forte demande dans les commentaires ; demander des croquis à l’auteur.",
    "Vérifier le coût de la matière avec notre fournisseur.",
    "Pourrait partager sa semelle avec la chaussure de trail 2027.",
    "Demande similaire remontée par nos magasins : mérite un prototype.",
    "Passer d’abord par une revue de sécurité.",
    "",
)
CONTACT_CONSENT = "L’équipe de la marque peut m’écrire au sujet de mes idées."

# The private campaign of the test panel.

PANEL_GROUP = "Panel de test hiver"
PANEL_CAMPAIGN = {
    **panel.PANEL_CAMPAIGN,
    "title": "Panel de test : chaussures de trail d’hiver",
    "summary": "Notre panel teste les prototypes d’hiver et nous dit ce qu’il "
    "faut corriger.",
    "brief": _rich(
        "Vous avez reçu une paire de nos prototypes de trail d’hiver. Dites-nous "
        "ce qui fonctionne sur la neige, la glace et la neige fondue, et ce qui ne "
        "fonctionne pas. Seuls les membres de notre panel de test voient cette "
        "campagne : merci de garder pour vous ce que vous lisez ici jusqu’à "
        "l’arrivée des chaussures en magasin.",
    ),
}
PANELISTS = (
    "member@example.com",
    "amelie.laurent@example.com",
    "sophie.rousseau@example.com",
    "helene.fournier@example.com",
    "noah.dubois@example.com",
    "fanny.lemaire@example.com",
)
OUTSIDER = "julien.bertrand@example.com"
PANEL_IDEAS = (
    ("amelie.laurent@example.com", "running", "chaussure de trail d’hiver",
     "Des crampons à visser sous la semelle d’hiver du prototype", 18,
     ("member@example.com", "sophie.rousseau@example.com",
      "helene.fournier@example.com", "noah.dubois@example.com"),
     ("winter", "running")),
    ("sophie.rousseau@example.com", "running", "chaussure de trail d’hiver",
     "Une doublure amovible qui sèche en une nuit", 14,
     ("member@example.com", "amelie.laurent@example.com",
      "fanny.lemaire@example.com"), ("winter", "comfort")),
    ("helene.fournier@example.com", "hiking", "chaussure de trail d’hiver",
     "Un col guêtre qui se zippe sur la chaussure", 9,
     ("amelie.laurent@example.com", "noah.dubois@example.com"), ("winter", "rain")),
    ("noah.dubois@example.com", "running", "chaussure de trail d’hiver",
     "Des languettes réfléchissantes au talon pour les matins d’hiver", 4,
     ("member@example.com",), ("winter", "night", "safety")),
)  # fmt: skip
PANEL_COMMENTS = (
    (0, "member@example.com", 2,
     "J’ai testé le prototype sur un sentier forestier verglacé : bonne accroche "
     "sur la neige, mais pas sur la glace. Des crampons régleraient le problème."),
    (0, "helene.fournier@example.com", 3,
     "Pareil pour moi. Quatre crampons à l’avant suffiraient."),
    (1, "fanny.lemaire@example.com", 1,
     "Ma paire était encore humide le lendemain matin, après une sortie dans la "
     "neige fondue."),
    (1, "member@example.com", 4, "+1, une doublure que je peux mettre sur le "
     "radiateur."),
    (2, "noah.dubois@example.com", 2, "La neige rentrait par la cheville à chaque "
     "sortie."),
    (3, "sophie.rousseau@example.com", 1,
     "Oui, s’il vous plaît : ici, il fait nuit jusqu’à 8 h."),
)  # fmt: skip
