/**
 * The demo's scripted month: what citizens ask on the city's Facebook Page
 * and under the posts of its Telegram channel (and a few under its Instagram posts),
 * who answers, how and how fast. Plain data, so the story is easy to read
 * and to change; `demo.ts` plays it against the loopback stand-ins.
 */

export interface DemoPerson {
  id: number;
  firstName: string;
  lastName: string;
  role: 'agent' | 'supervisor' | 'head';
}

/** The public-relations department and the head of community. */
export const DEMO_STAFF: DemoPerson[] = [
  { id: 710000001, firstName: 'Անի', lastName: 'Պետրոսյան', role: 'agent' },
  { id: 710000002, firstName: 'Արամ', lastName: 'Սարգսյան', role: 'agent' },
  { id: 710000003, firstName: 'Մարինե', lastName: 'Հակոբյան', role: 'supervisor' },
  { id: 710000004, firstName: 'Գագիկ', lastName: 'Մկրտչյան', role: 'head' },
];

export const DEMO_ADMIN_ID = 710000009;

/** What happens to one question. */
export type DemoOutcome =
  | { kind: 'staff'; staff: number; claimAfterMin: number; answerAfterMin: number; answer: string; visibility?: 'public' | 'private' }
  | { kind: 'native'; answerAfterMin: number; answer: string }
  | { kind: 'dismiss'; staff: number; afterMin: number }
  | { kind: 'open' };

export interface DemoQuestion {
  /** Day of the month and local time it was asked. */
  day: number;
  time: string;
  /** A comment on the Page, a Messenger message, a comment under a post of the city's Telegram channel, or a comment on the city's Instagram account. */
  channel: 'comment' | 'message' | 'telegram' | 'instagram';
  citizen: { id: string; name: string };
  text: string;
  outcome: DemoOutcome;
}

/** The department's own posts the citizens comment on (day of month, text). */
export const DEMO_POSTS: Array<{ day: number; text: string }> = [
  { day: 1, text: 'Համայնքապետարանը հայտնում է՝ այս ամիս կշարունակվեն բակերի բարեկարգման աշխատանքները։' },
  { day: 8, text: 'Ամսի 10-ից կսկսվի ջեռուցման սեզոնը մանկապարտեզներում և դպրոցներում։' },
  { day: 15, text: 'Նոր ավտոբուսային երթուղի՝ Կենտրոն — Տարոն, ամեն 15 րոպեն մեկ։' },
  { day: 22, text: 'Շաբաթօրյակ՝ մաքրենք մեր քաղաքը միասին։ Միացե՛ք։' },
];

const ANI = 0;
const ARAM = 1;
const MARINE = 2;

/**
 * Thirty-two questions over the month: most answered by staff through the
 * bot, some answered by the Page on Facebook directly, a few dismissed, a
 * few still open at the end.
 */
export const DEMO_QUESTIONS: DemoQuestion[] = [
  { day: 1, time: '10:12', channel: 'comment', citizen: { id: '8100000000000001', name: 'Լուսինե Ավագյան' }, text: 'Բարև ձեզ, Կոմիտասի 12 շենքում երեք օր է ջուր չկա։ Ե՞րբ կմիացնեն։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 8, answerAfterMin: 52, answer: 'Բարև ձեզ, Լուսինե։ Վթարը վերացվում է, ջուրը կմիացվի այսօր՝ 18:00-ին։' } },
  { day: 1, time: '11:40', channel: 'instagram', citizen: { id: '8100000000000002', name: 'Արմեն Գրիգորյան' }, text: 'Բակում աղբամանները լցված են արդեն մեկ շաբաթ, հոտը անտանելի է։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 20, answerAfterMin: 95, answer: 'Շնորհակալություն ահազանգի համար։ Աղբը կտեղափոխվի վաղը առավոտյան։' } },
  { day: 2, time: '09:25', channel: 'message', citizen: { id: '8100000000000003', name: 'Սոնա Մելքոնյան' }, text: 'Ինչպե՞ս կարող եմ դիմել սոցիալական աջակցության համար։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 5, answerAfterMin: 30, answer: 'Բարև ձեզ։ Դիմումը կարող եք ներկայացնել համայնքապետարանի 3-րդ հարկում, անձնագրով, երկուշաբթիից ուրբաթ՝ 9-ից 18-ը։' } },
  { day: 2, time: '19:50', channel: 'comment', citizen: { id: '8100000000000004', name: 'Դավիթ Հովհաննիսյան' }, text: 'Շնորհակալություն, շատ գեղեցիկ է ստացվել 👏👏', outcome: { kind: 'open' } },
  { day: 3, time: '13:05', channel: 'instagram', citizen: { id: '8100000000000005', name: 'Գայանե Սահակյան' }, text: 'Երևանյան փողոցի լամպերը չեն վառվում, երեկոյան շատ մութ է, երեխաները վախենում են։', outcome: { kind: 'native', answerAfterMin: 40, answer: 'Շնորհակալություն, խնդիրը փոխանցված է լուսավորության ծառայությանը։' } },
  { day: 3, time: '18:20', channel: 'telegram', citizen: { id: '7300000041', name: 'Արեգ Պողոսյան' }, text: 'Իսկ մեր բակը՝ Շահումյան 14-ում, ե՞րբ կբարեկարգվի։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 25, answerAfterMin: 110, answer: 'Բարև ձեզ, Արեգ։ Շահումյան 14-ի բակը ներառված է այս ամսվա ցանկում, աշխատանքները կսկսվեն ամսի 20-ից։' } },
  { day: 6, time: '10:30', channel: 'comment', citizen: { id: '8100000000000006', name: 'Հայկ Բաղդասարյան' }, text: 'Ե՞րբ կնորոգեն Նալբանդյան փողոցի փոսերը, մեքենաներն են փչանում։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 35, answerAfterMin: 240, answer: 'Բարև ձեզ։ Նալբանդյան փողոցի ասֆալտապատումը նախատեսված է այս ամսվա 20-ից։' } },
  { day: 6, time: '15:45', channel: 'comment', citizen: { id: '8100000000000007', name: 'Anna Petrova' }, text: 'Купите наши окна по лучшей цене!!! Звоните 099-00-00-00', outcome: { kind: 'dismiss', staff: MARINE, afterMin: 15 } },
  { day: 7, time: '08:55', channel: 'message', citizen: { id: '8100000000000008', name: 'Նարինե Առաքելյան' }, text: 'Մանկապարտեզում տեղ կա՞ 3 տարեկան երեխայի համար, Շահումյան թաղամասում։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 12, answerAfterMin: 75, answer: 'Բարև ձեզ։ Թիվ 7 մանկապարտեզում ազատ տեղեր կան, կարող եք դիմել տնօրինությանը։' } },
  { day: 8, time: '12:10', channel: 'comment', citizen: { id: '8100000000000009', name: 'Տիգրան Ավետիսյան' }, text: 'Ջեռուցումը մեր դպրոցում դեռ չի միացել, երեխաները մրսում են։', outcome: { kind: 'staff', staff: MARINE, claimAfterMin: 10, answerAfterMin: 60, answer: 'Ջեռուցումը դպրոցներում կմիացվի ամսի 10-ին, ինչպես նախատեսված է։' } },
  { day: 8, time: '17:30', channel: 'comment', citizen: { id: '8100000000000010', name: 'Մերի Խաչատրյան' }, text: 'Իսկ մանկապարտեզներում ջեռուցումը նույն օրվանի՞ց է։', outcome: { kind: 'native', answerAfterMin: 25, answer: 'Այո, նույն օրվանից։' } },
  { day: 9, time: '10:00', channel: 'comment', citizen: { id: '8100000000000011', name: 'Ռուբեն Մարտիրոսյան' }, text: 'Մեր շենքի մոտ անօրինական շինարարություն է ընթանում, ո՞ւմ դիմել։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 45, answerAfterMin: 1440, answer: 'Բարև ձեզ։ Ահազանգը փոխանցվել է քաղաքաշինության բաժին, մասնագետը կայցելի այս շաբաթ։' } },
  { day: 10, time: '14:20', channel: 'message', citizen: { id: '8100000000000012', name: 'Ալինա Վարդանյան' }, text: 'Պոլիկլինիկայում հերթերը շատ երկար են, հնարավո՞ր է առցանց գրանցվել։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 6, answerAfterMin: 44, answer: 'Այո, կարող եք գրանցվել armed.am կայքում կամ զանգահարել 1-88 համարով։' } },
  { day: 13, time: '09:40', channel: 'comment', citizen: { id: '8100000000000013', name: 'Գոռ Ղազարյան' }, text: 'Ավտոբուս 5-ը առավոտյան չի գալիս ժամանակին, կես ժամ սպասում ենք։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 15, answerAfterMin: 130, answer: 'Բարև ձեզ։ Խոսել ենք փոխադրողի հետ, առավոտյան ժամերին կավելացվի ևս մեկ ավտոբուս։' } },
  { day: 13, time: '11:15', channel: 'comment', citizen: { id: '8100000000000014', name: 'Լիլիթ Պողոսյան' }, text: 'Այգում գիշերները աղմկում են, ոստիկանությունը չի գալիս։', outcome: { kind: 'staff', staff: MARINE, claimAfterMin: 30, answerAfterMin: 180, answer: 'Բարև ձեզ։ Այգու հսկողությունը կուժեղացվի, համագործակցում ենք ոստիկանության հետ։' } },
  { day: 14, time: '16:00', channel: 'comment', citizen: { id: '8100000000000015', name: 'Վահե Աբրահամյան' }, text: 'Սպորտային դպրոցում ֆուտբոլի խմբակ կա՞ 10 տարեկանների համար։', outcome: { kind: 'native', answerAfterMin: 90, answer: 'Այո, գրանցումը շարունակվում է մինչև ամսի 30-ը։' } },
  { day: 15, time: '10:35', channel: 'comment', citizen: { id: '8100000000000016', name: 'Քրիստինե Սիմոնյան' }, text: 'Նոր երթուղին Տարոն թաղամասում որտե՞ղ է կանգառ անում։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 4, answerAfterMin: 22, answer: 'Կանգառները՝ Տարոն 2, Տարոն 3 և շուկայի մոտ։ Մանրամասն քարտեզը՝ մեր էջում։' } },
  { day: 15, time: '12:50', channel: 'comment', citizen: { id: '8100000000000017', name: 'Սամվել Կարապետյան' }, text: 'Իսկ գիշերային ժամերին երթուղին աշխատու՞մ է։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 25, answerAfterMin: 70, answer: 'Երթուղին աշխատում է ժամը 07:00-ից 22:00-ն։' } },
  { day: 15, time: '19:40', channel: 'telegram', citizen: { id: '7300000042', name: 'Մարգարիտա Ասատրյան' }, text: 'Նոր երթուղու ավտոբուսները հարմարեցվա՞ծ են սայլակներով մարդկանց համար։', outcome: { kind: 'native', answerAfterMin: 35, answer: 'Այո, բոլոր ավտոբուսներն ունեն թեքահարթակ։' } },
  { day: 16, time: '09:05', channel: 'message', citizen: { id: '8100000000000018', name: 'Էլեն Մանուկյան' }, text: 'Մեր բակի խաղահրապարակի ճոճանակը կոտրված է, վտանգավոր է երեխաների համար։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 9, answerAfterMin: 300, answer: 'Բարև ձեզ։ Ճոճանակը կհեռացվի այսօր, նորը կտեղադրվի մինչև ամսի վերջ։' } },
  { day: 17, time: '13:30', channel: 'comment', citizen: { id: '8100000000000019', name: 'Արթուր Ներսիսյան' }, text: '@Արմեն Գրիգորյան', outcome: { kind: 'open' } },
  { day: 20, time: '10:20', channel: 'comment', citizen: { id: '8100000000000020', name: 'Մարիամ Եղիազարյան' }, text: 'Նալբանդյան փողոցում արդեն սկսել են, շնորհակալություն։ Իսկ Բաղրամյան փողոցը ե՞րբ։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 18, answerAfterMin: 2880, answer: 'Բաղրամյան փողոցի նորոգումը ներառված է հաջորդ տարվա ծրագրում։' } },
  { day: 20, time: '15:10', channel: 'comment', citizen: { id: '8100000000000021', name: 'Нина Иванова' }, text: 'Почему в нашем доме нет горячей воды уже неделю?', outcome: { kind: 'staff', staff: MARINE, claimAfterMin: 12, answerAfterMin: 85, answer: 'Здравствуйте! Ремонт котельной завершится в четверг, горячая вода появится в пятницу.' } },
  { day: 21, time: '11:00', channel: 'comment', citizen: { id: '8100000000000022', name: 'Կարեն Զաքարյան' }, text: 'Անկախության տոնի համերգը որտե՞ղ է լինելու։', outcome: { kind: 'native', answerAfterMin: 15, answer: 'Կենտրոնական հրապարակում, ժամը 19:00-ին։' } },
  { day: 22, time: '12:45', channel: 'comment', citizen: { id: '8100000000000023', name: 'Շուշան Ալեքսանյան' }, text: 'Շաբաթօրյակին ձեռնոցներ և պարկեր տրամադրվելու՞ են։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 7, answerAfterMin: 35, answer: 'Այո, բոլոր մասնակիցներին կտրամադրվեն ձեռնոցներ և պարկեր։' } },
  { day: 23, time: '09:30', channel: 'comment', citizen: { id: '8100000000000024', name: 'Արսեն Թադևոսյան' }, text: 'Տեսեք իմ էջը, լավագույն գներ 🔥🔥🔥 www.example-spam.am', outcome: { kind: 'dismiss', staff: ANI, afterMin: 5 } },
  { day: 24, time: '14:15', channel: 'message', citizen: { id: '8100000000000025', name: 'Մանե Ստեփանյան' }, text: 'Կենսաթոշակի հավելավճարի համար ո՞ր փաստաթղթերն են պետք։', outcome: { kind: 'staff', staff: MARINE, claimAfterMin: 20, answerAfterMin: 140, answer: 'Անհրաժեշտ են անձնագիր, սոցիալական քարտ և բանկային հաշվի տվյալներ։' } },
  { day: 27, time: '10:05', channel: 'comment', citizen: { id: '8100000000000026', name: 'Նարեկ Սարգսյան' }, text: 'Գետի ափին աղբը կուտակվել է, խնդրում ենք մաքրել։', outcome: { kind: 'staff', staff: ARAM, claimAfterMin: 40, answerAfterMin: 1500, answer: 'Շնորհակալություն։ Մաքրման աշխատանքները կիրականացվեն այս շաբաթ։' } },
  { day: 27, time: '16:40', channel: 'comment', citizen: { id: '8100000000000027', name: 'Զարուհի Մովսիսյան' }, text: 'Մեր շենքի մուտքի դուռը կոտրված է, ո՞վ պետք է նորոգի։', outcome: { kind: 'dismiss', staff: MARINE, afterMin: 60 } },
  { day: 28, time: '11:30', channel: 'comment', citizen: { id: '8100000000000028', name: 'Վարդան Հարությունյան' }, text: 'Գազի ճնշումը շատ ցածր է երեկոյան ժամերին, վառարանը չի աշխատում։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 10, answerAfterMin: 120, answer: 'Բարև ձեզ։ Հարցումն ուղարկվել է «Գազպրոմ Արմենիա»-ին, պատասխանը կհայտնենք։' } },
  { day: 22, time: '20:10', channel: 'telegram', citizen: { id: '7300000043', name: 'Լևոն Գասպարյան' }, text: 'Շաբաթօրյակը անձրևի դեպքում հետաձգվելու՞ է։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 12, answerAfterMin: 48, answer: 'Անձրևի դեպքում շաբաթօրյակը կտեղափոխվի հաջորդ շաբաթ, կհայտնենք ալիքում։' } },
  { day: 29, time: '09:15', channel: 'comment', citizen: { id: '8100000000000029', name: 'Անահիտ Գևորգյան' }, text: 'Երեկվա անձրևից հետո Տերյան փողոցը ջրով է լցված, անցնել հնարավոր չէ։', outcome: { kind: 'open' } },
  { day: 30, time: '10:50', channel: 'message', citizen: { id: '8100000000000030', name: 'Հովհաննես Բադալյան' }, text: 'Բարև, ինչպե՞ս գրանցել երեխային առաջին դասարան։', outcome: { kind: 'staff', staff: ANI, claimAfterMin: 14, answerAfterMin: 50, answer: 'Գրանցումը կատարվում է dpir.am կայքում՝ ապրիլից հունիս։' } },
  { day: 30, time: '17:20', channel: 'comment', citizen: { id: '8100000000000031', name: 'Սիրանուշ Աթայան' }, text: 'Մեր փողոցում շուն է կծել երեխայի, թափառող շներ շատ կան, ի՞նչ է արվում։', outcome: { kind: 'open' } },
  { day: 31, time: '09:45', channel: 'comment', citizen: { id: '8100000000000032', name: 'Էդգար Մխիթարյան' }, text: 'Մշակույթի տան համերգների ժամանակացույցը որտե՞ղ կարելի է տեսնել։', outcome: { kind: 'native', answerAfterMin: 55, answer: 'Ժամանակացույցը տեղադրված է մեր էջում՝ «Իրադարձություններ» բաժնում։' } },
];

/**
 * A small wave on day 23: the water goes off on Komitas street and people ask
 * under the Page's latest post and on Messenger; the questions become one
 * wave card, and a supervisor answers all of them with one statement.
 */
export const DEMO_WAVE = {
  day: 23,
  questions: [
    { time: '08:05', channel: 'comment', citizen: { id: '8100000000000051', name: 'Անահիտ Մովսիսյան' }, text: 'Կոմիտասում ջուր չկա առավոտից, ի՞նչ է պատահել։' },
    { time: '08:07', channel: 'comment', citizen: { id: '8100000000000052', name: 'Ольга Смирнова' }, text: 'На Комитаса нет воды с утра, когда дадут?' },
    { time: '08:09', channel: 'comment', citizen: { id: '8100000000000053', name: 'Vardan K.' }, text: 'Komitasum jur chka, erb kga?' },
    { time: '08:12', channel: 'message', citizen: { id: '8100000000000054', name: 'Սիրանուշ Ալեքսանյան' }, text: 'Բարև Ձեզ, Կոմիտաս 20-ում ջուր չկա, երբ կվերականգնվի՞' },
    { time: '08:15', channel: 'comment', citizen: { id: '8100000000000055', name: 'Gor Harutyunyan' }, text: 'No water on Komitas street since morning' },
    { time: '08:20', channel: 'comment', citizen: { id: '8100000000000056', name: 'Լևոն Թադևոսյան' }, text: 'Ջուրը ե՞րբ կտան Կոմիտասի վրա' },
  ] as Array<{ time: string; channel: 'comment' | 'message'; citizen: { id: string; name: string }; text: string }>,
  statementAt: '09:10',
  statement: 'Կոմիտաս փողոցում ջրատարի վթար է, աշխատանքները ընթանում են։ Ջուրը կվերականգնվի այսօր՝ 14:00-ին։',
} as const;
