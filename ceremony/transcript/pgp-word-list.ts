/**
 * The PGP word list (Juola and Zimmermann, "Whole-word phonetic distances and the PGPfone
 * alphabet", ICSLP 1996; published with PGPfone and in PGP's fingerprint display), in the public
 * domain. Two lists of 256 words indexed by byte value: {@link PGP_EVEN_WORDS} (two syllables) for
 * bytes at even positions, {@link PGP_ODD_WORDS} (three syllables) for bytes at odd positions.
 * Alternating the lists catches a swapped, repeated or dropped word when a digest is read aloud.
 *
 * Typed in from the published list (as reproduced in Wikipedia's "PGP word list" article), with
 * its capitalisation; checked against two independent copies and against the list's own example
 * (test/unit/runner/pgp-words.test.ts).
 *
 * Portable: no `node:` imports.
 */

/** Two-syllable words, for the bytes at even positions (0, 2, 4, ...): `PGP_EVEN_WORDS[byte]`. */
// prettier-ignore
export const PGP_EVEN_WORDS: readonly string[] = Object.freeze([
  // 0x00
  'aardvark', 'absurd', 'accrue', 'acme', 'adrift', 'adult', 'afflict', 'ahead',
  'aimless', 'Algol', 'allow', 'alone', 'ammo', 'ancient', 'apple', 'artist',
  'assume', 'Athens', 'atlas', 'Aztec', 'baboon', 'backfield', 'backward', 'banjo',
  'beaming', 'bedlamp', 'beehive', 'beeswax', 'befriend', 'Belfast', 'berserk', 'billiard',
  // 0x20
  'bison', 'blackjack', 'blockade', 'blowtorch', 'bluebird', 'bombast', 'bookshelf', 'brackish',
  'breadline', 'breakup', 'brickyard', 'briefcase', 'Burbank', 'button', 'buzzard', 'cement',
  'chairlift', 'chatter', 'checkup', 'chisel', 'choking', 'chopper', 'Christmas', 'clamshell',
  'classic', 'classroom', 'cleanup', 'clockwork', 'cobra', 'commence', 'concert', 'cowbell',
  // 0x40
  'crackdown', 'cranky', 'crowfoot', 'crucial', 'crumpled', 'crusade', 'cubic', 'dashboard',
  'deadbolt', 'deckhand', 'dogsled', 'dragnet', 'drainage', 'dreadful', 'drifter', 'dropper',
  'drumbeat', 'drunken', 'Dupont', 'dwelling', 'eating', 'edict', 'egghead', 'eightball',
  'endorse', 'endow', 'enlist', 'erase', 'escape', 'exceed', 'eyeglass', 'eyetooth',
  // 0x60
  'facial', 'fallout', 'flagpole', 'flatfoot', 'flytrap', 'fracture', 'framework', 'freedom',
  'frighten', 'gazelle', 'Geiger', 'glitter', 'glucose', 'goggles', 'goldfish', 'gremlin',
  'guidance', 'hamlet', 'highchair', 'hockey', 'indoors', 'indulge', 'inverse', 'involve',
  'island', 'jawbone', 'keyboard', 'kickoff', 'kiwi', 'klaxon', 'locale', 'lockup',
  // 0x80
  'merit', 'minnow', 'miser', 'Mohawk', 'mural', 'music', 'necklace', 'Neptune',
  'newborn', 'nightbird', 'Oakland', 'obtuse', 'offload', 'optic', 'orca', 'payday',
  'peachy', 'pheasant', 'physique', 'playhouse', 'Pluto', 'preclude', 'prefer', 'preshrunk',
  'printer', 'prowler', 'pupil', 'puppy', 'python', 'quadrant', 'quiver', 'quota',
  // 0xa0
  'ragtime', 'ratchet', 'rebirth', 'reform', 'regain', 'reindeer', 'rematch', 'repay',
  'retouch', 'revenge', 'reward', 'rhythm', 'ribcage', 'ringbolt', 'robust', 'rocker',
  'ruffled', 'sailboat', 'sawdust', 'scallion', 'scenic', 'scorecard', 'Scotland', 'seabird',
  'select', 'sentence', 'shadow', 'shamrock', 'showgirl', 'skullcap', 'skydive', 'slingshot',
  // 0xc0
  'slowdown', 'snapline', 'snapshot', 'snowcap', 'snowslide', 'solo', 'southward', 'soybean',
  'spaniel', 'spearhead', 'spellbind', 'spheroid', 'spigot', 'spindle', 'spyglass', 'stagehand',
  'stagnate', 'stairway', 'standard', 'stapler', 'steamship', 'sterling', 'stockman', 'stopwatch',
  'stormy', 'sugar', 'surmount', 'suspense', 'sweatband', 'swelter', 'tactics', 'talon',
  // 0xe0
  'tapeworm', 'tempest', 'tiger', 'tissue', 'tonic', 'topmost', 'tracker', 'transit',
  'trauma', 'treadmill', 'Trojan', 'trouble', 'tumor', 'tunnel', 'tycoon', 'uncut',
  'unearth', 'unwind', 'uproot', 'upset', 'upshot', 'vapor', 'village', 'virus',
  'Vulcan', 'waffle', 'wallet', 'watchword', 'wayside', 'willow', 'woodlark', 'Zulu',
]);

/** Three-syllable words, for the bytes at odd positions (1, 3, 5, ...): `PGP_ODD_WORDS[byte]`. */
// prettier-ignore
export const PGP_ODD_WORDS: readonly string[] = Object.freeze([
  // 0x00
  'adroitness', 'adviser', 'aftermath', 'aggregate', 'alkali', 'almighty', 'amulet', 'amusement',
  'antenna', 'applicant', 'Apollo', 'armistice', 'article', 'asteroid', 'Atlantic', 'atmosphere',
  'autopsy', 'Babylon', 'backwater', 'barbecue', 'belowground', 'bifocals', 'bodyguard', 'bookseller',
  'borderline', 'bottomless', 'Bradbury', 'bravado', 'Brazilian', 'breakaway', 'Burlington', 'businessman',
  // 0x20
  'butterfat', 'Camelot', 'candidate', 'cannonball', 'Capricorn', 'caravan', 'caretaker', 'celebrate',
  'cellulose', 'certify', 'chambermaid', 'Cherokee', 'Chicago', 'clergyman', 'coherence', 'combustion',
  'commando', 'company', 'component', 'concurrent', 'confidence', 'conformist', 'congregate', 'consensus',
  'consulting', 'corporate', 'corrosion', 'councilman', 'crossover', 'crucifix', 'cumbersome', 'customer',
  // 0x40
  'Dakota', 'decadence', 'December', 'decimal', 'designing', 'detector', 'detergent', 'determine',
  'dictator', 'dinosaur', 'direction', 'disable', 'disbelief', 'disruptive', 'distortion', 'document',
  'embezzle', 'enchanting', 'enrollment', 'enterprise', 'equation', 'equipment', 'escapade', 'Eskimo',
  'everyday', 'examine', 'existence', 'exodus', 'fascinate', 'filament', 'finicky', 'forever',
  // 0x60
  'fortitude', 'frequency', 'gadgetry', 'Galveston', 'getaway', 'glossary', 'gossamer', 'graduate',
  'gravity', 'guitarist', 'hamburger', 'Hamilton', 'handiwork', 'hazardous', 'headwaters', 'hemisphere',
  'hesitate', 'hideaway', 'holiness', 'hurricane', 'hydraulic', 'impartial', 'impetus', 'inception',
  'indigo', 'inertia', 'infancy', 'inferno', 'informant', 'insincere', 'insurgent', 'integrate',
  // 0x80
  'intention', 'inventive', 'Istanbul', 'Jamaica', 'Jupiter', 'leprosy', 'letterhead', 'liberty',
  'maritime', 'matchmaker', 'maverick', 'Medusa', 'megaton', 'microscope', 'microwave', 'midsummer',
  'millionaire', 'miracle', 'misnomer', 'molasses', 'molecule', 'Montana', 'monument', 'mosquito',
  'narrative', 'nebula', 'newsletter', 'Norwegian', 'October', 'Ohio', 'onlooker', 'opulent',
  // 0xa0
  'Orlando', 'outfielder', 'Pacific', 'pandemic', 'Pandora', 'paperweight', 'paragon', 'paragraph',
  'paramount', 'passenger', 'pedigree', 'Pegasus', 'penetrate', 'perceptive', 'performance', 'pharmacy',
  'phonetic', 'photograph', 'pioneer', 'pocketful', 'politeness', 'positive', 'potato', 'processor',
  'provincial', 'proximate', 'puberty', 'publisher', 'pyramid', 'quantity', 'racketeer', 'rebellion',
  // 0xc0
  'recipe', 'recover', 'repellent', 'replica', 'reproduce', 'resistor', 'responsive', 'retraction',
  'retrieval', 'retrospect', 'revenue', 'revival', 'revolver', 'sandalwood', 'sardonic', 'Saturday',
  'savagery', 'scavenger', 'sensation', 'sociable', 'souvenir', 'specialist', 'speculate', 'stethoscope',
  'stupendous', 'supportive', 'surrender', 'suspicious', 'sympathy', 'tambourine', 'telephone', 'therapist',
  // 0xe0
  'tobacco', 'tolerance', 'tomorrow', 'torpedo', 'tradition', 'travesty', 'trombonist', 'truncated',
  'typewriter', 'ultimate', 'undaunted', 'underfoot', 'unicorn', 'unify', 'universe', 'unravel',
  'upcoming', 'vacancy', 'vagabond', 'vertigo', 'Virginia', 'visitor', 'vocalist', 'voyager',
  'warranty', 'Waterloo', 'whimsical', 'Wichita', 'Wilmington', 'Wyoming', 'yesteryear', 'Yucatan',
]);
