# Copyright 2026 account_dunning contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Names, places and products the generator draws from.

The order of every list is part of the seeded plan: the same seed gives the same
customers only as long as these lists keep their order.
"""


def _lines(text):
    return tuple(line.strip() for line in text.strip().splitlines())


# first and last names, French and English customers
FIRST_FR = tuple(
    """
    Jean Marie Pierre Camille Nicolas Isabelle Thomas Claire Antoine Nathalie Julien
    Sophie François Céline Laurent Élodie Mathieu Aurélie Olivier Hélène Sébastien
    Émilie Guillaume Chloé Benoît Léa Stéphane Manon Philippe Anaïs Christophe
    Valérie Hugo Inès
""".split()
)

LAST_FR = tuple(
    """
    Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon
    Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard
    André Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier
    Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu
    Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard
    Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas
    Meunier Jean Perez Marchand
""".split()
)

FIRST_EN = tuple(
    """
    James Emma Oliver Charlotte William Amelia Harry Olivia George Emily Jack Grace
    Henry Lucy Edward Sarah Daniel Hannah
""".split()
)

LAST_EN = tuple(
    """
    Smith Johnson Williams Brown Taylor Davies Wilson Evans Walker Wright Thompson
    Roberts Hughes Clarke Harrison Baker Cooper Ward
""".split()
)

# company names: {n} a last name, {f} a first name
COMPANY_PATTERNS_FR = _lines(
    """
    Boulangerie {n}
    Garage {n}
    Menuiserie {n}
    Cabinet {n}
    Transports {n}
    Imprimerie {n}
    Pharmacie {n}
    Librairie {n}
    Hôtel {n}
    Restaurant Chez {f}
    {n} & Fils
    {n} Industrie
    SARL {n}
    SAS {n} Conseil
    Ets {n}
    Brasserie {n}
    Atelier {n}
    Fromagerie {n}
    Caves {n}
    {n} Bâtiment
    Agence {n} Immobilier
"""
)

COMPANY_PATTERNS_EN = _lines(
    """
    {n} & Co France
    {n} Consulting
    {n} Trading SAS
    {n} Design Studio
    {n} Hospitality
    {n} Logistics France
"""
)

# (city, zip)
CITIES = tuple(
    tuple(line.rsplit(" ", 1))
    for line in _lines(
        """
        Paris 75011
        Lyon 69003
        Marseille 13006
        Toulouse 31000
        Nice 06000
        Nantes 44000
        Strasbourg 67000
        Montpellier 34000
        Bordeaux 33000
        Lille 59000
        Rennes 35000
        Reims 51100
        Grenoble 38000
        Dijon 21000
        Angers 49000
        Villeurbanne 69100
        Annecy 74000
        Tours 37000
        Clermont-Ferrand 63000
        Rouen 76000
"""
    )
)

STREETS = _lines(
    """
    rue de la République
    avenue Jean Jaurès
    rue Victor Hugo
    boulevard Gambetta
    place de la Mairie
    rue Pasteur
    rue du Général de Gaulle
    avenue Foch
    chemin des Vignes
    rue des Lilas
    quai Saint-Antoine
    rue Nationale
"""
)

# job titles of the contacts
FUNCTIONS = _lines(
    """
    Gérant
    Directeur administratif et financier
    Comptable
    Responsable achats
    Assistante de direction
    Office manager
"""
)

# email domains of private customers
MAIL_DOMAINS = tuple(
    """
    gmail.com orange.fr free.fr laposte.net outlook.fr sfr.fr
""".split()
)

# (name, unit price in EUR, product type)
PRODUCT_DEFS = (
    ("Étagère murale chêne massif", 189.0, "consu"),
    ("Table d'atelier sur mesure", 1450.0, "consu"),
    ("Chaise bistrot restaurée", 95.0, "consu"),
    ("Agencement de boutique", 4800.0, "service"),
    ("Pose et installation (heure)", 65.0, "service"),
    ("Contrat de maintenance annuel", 720.0, "service"),
    ("Vernis et finition", 240.0, "service"),
    ("Livraison et montage", 120.0, "service"),
)

# (name, login): users without a password, as the sales team of the company
SALESPEOPLE = (
    ("Claire Moreau", "claire.moreau"),
    ("Julien Garnier", "julien.garnier"),
    ("Sophie Lambert", "sophie.lambert"),
)
