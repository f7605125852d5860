"""Frequency-weighted given and family names of invented people, by background.

Weights are rough relative frequencies, not statistics. Also here: the lists that go with naming
customs (Akan day names, Vietnamese middle names, the English names some Chinese families use
alongside their own) and the near names twins are given (Ellie / Millie).
"""

from __future__ import annotations

from hub.synthetic.weighted import weighted

BRITISH_GIRLS = weighted("""
Olivia:40 Amelia:38 Isla:30 Ava:28 Lily:24 Freya:22 Ivy:22 Florence:20 Mia:20 Willow:18
Isabella:16 Sophia:16 Grace:16 Evie:15 Poppy:15 Daisy:14 Sienna:14 Elsie:14 Emily:14 Ella:14
Rosie:13 Evelyn:13 Charlotte:13 Phoebe:12 Sofia:12 Harper:12 Millie:12 Ruby:12 Matilda:10
Maya:10 Sophie:10 Alice:10 Emilia:10 Isabelle:10 Luna:10 Maisie:9 Aria:9 Ellie:9 Mila:8
Bonnie:8 Eva:8 Chloe:8 Scarlett:8 Eliza:7 Jessica:7 Esme:7 Eleanor:7 Layla:7 Penelope:6
Hallie:6 Lacey:6 Lexi:6 Leah:6 Summer:6 Lola:6 Megan:6 Lucy:6 Paige:5 Holly:5 Erin:5
Hannah:5 Abigail:5 Amber:5 Katie:5 Georgia:5 Imogen:5 Darcie:5 Gracie:5 Harriet:4 Lauren:4
Elizabeth:4 Tilly:4 Jasmine:4 Zoë:3 Zoe:3 Orla:3 Niamh:3 Caitlin:3 Bethany:3 Skye:3 Kayla:3
Madison:3 Abbie:3 Amelie:3 Polly:3 Katherine:2 Nevaeh:2 Neve:2 Ellie-Mae:2 Tia:2 Victoria:2
Rebecca:2 Alexandra:2 Lily-Rose:2 Margaret:1 Jennifer:1 Demi-Leigh:1
""")
BRITISH_BOYS = weighted("""
Noah:40 Oliver:38 George:34 Arthur:32 Leo:30 Harry:24 Oscar:22 Jack:20 Archie:20 Henry:20
Theodore:18 Freddie:18 Charlie:18 Theo:16 Alfie:16 Thomas:16 William:16 Jacob:14 James:14
Finley:12 Lucas:12 Arlo:10 Roman:10 Isaac:10 Teddy:10 Alexander:10 Joshua:10 Tommy:9 Luca:9
Edward:9 Elijah:9 Max:9 Mason:9 Albie:8 Riley:8 Harvey:8 Ethan:8 Samuel:8 Daniel:8 Joseph:8
Reggie:7 Jude:7 Logan:7 Ronnie:6 Louie:6 Jayden:6 Dylan:6 Benjamin:6 Hunter:5 Jaxon:5
Tyler:5 Kai:5 Callum:5 Matthew:5 Lewis:4 Frederick:4 Rory:4 Ryan:4 Connor:4 Liam:4 Bobby:4
Frankie:4 Jenson:4 Harrison:4 Sebastian:4 Stanley:4 Ezra:4 Alfred:3 Zachary:3 Reuben:3
Kian:3 Nathan:3 Aiden:3 Michael:3 Carter:3 Mohammed:3 Muhammad:4 Jaden:2 Kayden:2
Brandon:2 Christopher:2 John:2 Robert:2 Jake:2 Jason:1 Archibald:1
""")
BRITISH_WOMEN = weighted("""
Sarah:20 Emma:20 Laura:18 Amy:18 Rebecca:16 Lauren:16 Gemma:15 Jessica:14 Hannah:14
Charlotte:14 Samantha:14 Jade:14 Sophie:14 Danielle:12 Nicola:12 Katie:12 Chloe:12 Kirsty:10
Stacey:10 Kelly:10 Claire:10 Leanne:10 Natalie:10 Chelsea:10 Rachel:10 Victoria:10 Megan:10
Emily:10 Lucy:10 Michelle:8 Lisa:8 Louise:8 Amber:8 Kayleigh:8 Jennifer:8 Elizabeth:8 Jodie:8
Stephanie:8 Shannon:8 Bethany:8 Holly:8 Georgia:8 Paige:8 Courtney:8 Hayley:7 Katherine:6
Catherine:6 Zoe:6 Abigail:6 Ellie:6 Jasmine:6 Leah:6 Natasha:6 Kimberley:5 Joanne:5 Carly:5
Kerry:5 Demi:5 Grace:5 Molly:5 Tracey:4 Donna:4 Alice:4 Eleanor:4 Olivia:4 Naomi:4 Amanda:4
Toni:4 Charlene:4 Ashleigh:4 Alexandra:4 Millie:4 Caitlin:4 Erin:4 Amelia:3 Siobhan:3 Deborah:3
Sian:3 Rhiannon:3 Sharon:3 Joanna:3 Harriet:3 Niamh:3 Eve:3 Cerys:2 Jacqueline:2 Susan:2
Josephine:2 Isabella:2 Isabelle:2 Rose:2 Ffion:1 Margaret:1 Florence:1 Matilda:1 Zoë:1
""")
BRITISH_MEN = weighted("""
James:20 David:18 Daniel:18 Michael:16 Christopher:16 Thomas:16 Matthew:16 Ryan:14 John:14
Jack:14 Andrew:12 Jamie:12 Liam:12 Luke:12 Adam:12 Mark:12 Paul:12 Robert:12 Joshua:12
Richard:10 Joseph:10 Samuel:10 Callum:10 Connor:10 Jordan:10 Nathan:10 William:10 Craig:8
Lee:8 Scott:8 Stephen:8 Steven:8 Anthony:8 Benjamin:8 Kieran:8 Aaron:8 Kyle:8 Bradley:8 Jake:8
Harry:8 Lewis:8 Dean:7 Jason:7 Darren:6 Ashley:6 Shaun:6 Carl:6 Dylan:6 Reece:6 Alexander:6
Peter:6 Jonathan:6 Oliver:6 Wayne:5 Gareth:5 Rhys:5 Kevin:5 Gary:5 Martin:5 Nicholas:5
George:5 Tyler:5 Neil:4 Simon:4 Edward:4 Jay:4 Sean:4 Elliot:4 Charles:3 Ben:3 Tom:3 Danny:3
Ricky:3 Timothy:3 Patrick:3 Dominic:3 Henry:2 Kenneth:1 Ronald:1 Terence:1 Frederick:1
""")
BRITISH_ELDER_WOMEN = weighted("""
Susan:10 Karen:10 Julie:10 Linda:8 Margaret:8 Christine:8 Tracey:8 Sharon:8 Deborah:7
Sandra:7 Patricia:6 Janet:6 Elaine:6 Jacqueline:6 Carol:6 Denise:6 Angela:6 Lorraine:5
Dawn:5 Alison:5 Michelle:5 Joanne:5 Elizabeth:5 Mary:5 Gillian:4 Wendy:4 Beverley:4 Lesley:4
Pauline:4 Kim:4 Catherine:4 Anne:4 Jennifer:3 Maureen:3 Valerie:2 Josephine:2 Theresa:2
""")
BRITISH_ELDER_MEN = weighted("""
David:10 John:10 Michael:8 Paul:8 Peter:7 Stephen:7 Robert:7 Gary:7 Anthony:6 Mark:6
Kevin:6 Ian:6 Andrew:6 Richard:5 Christopher:5 Steven:5 Alan:5 James:5 Keith:4 Brian:4
William:4 Martin:4 Colin:3 Graham:3 Terence:3 Kenneth:3 Raymond:3 Philip:3 Barry:3 Ronald:2
Patrick:2 Trevor:2 Derek:2 Dennis:2 Edward:2 Charles:2 Leonard:1 Gerald:1 Lawrence:1
Francis:1 Reginald:1 Stanley:1 Albert:1
""")
BRITISH_MIDDLE_GIRLS = weighted("""
Rose:20 Mae:14 Grace:14 May:10 Louise:10 Marie:10 Elizabeth:10 Jane:8 Anne:6 Lily:6 Jade:5
Leigh:5 Olivia:4 Victoria:4 Ann:4 Hope:4 Faith:3 Amelia:3 Isabella:3 Frances:3 Eve:3
Catherine:2 Margaret:2 Emily:3 Alice:3 Florence:3 Skye:2
""")
BRITISH_MIDDLE_BOYS = weighted("""
James:24 John:14 William:12 Thomas:10 David:10 Lee:8 Michael:8 Paul:6 Robert:8 Alexander:6
George:8 Edward:5 Charles:5 Peter:5 Joseph:6 Jack:4 Anthony:5 Dean:3 Jay:4 Ray:3 Arthur:4
Henry:4 Oliver:3 Frederick:3 Alan:3 Richard:3 Christopher:3 Daniel:3 Leo:2
""")
BRITISH_SURNAMES = weighted("""
Smith:120 Jones:90 Williams:80 Taylor:60 Brown:60 Davies:55 Evans:45 Wilson:45 Thomas:42
Johnson:40 Roberts:40 Robinson:35 Thompson:35 Wright:34 Walker:33 White:32 Edwards:31
Hughes:31 Green:30 Hall:30 Lewis:29 Harris:29 Clarke:28 Jackson:27 Wood:26 Turner:25 Martin:25
Cooper:25 Hill:25 Ward:24 Morris:24 Moore:24 Clark:23 Lee:23 King:23 Baker:22 Harrison:22
Morgan:22 Allen:21 James:21 Scott:21 Phillips:20 Watson:20 Davis:19 Parker:19 Price:19
Bennett:19 Young:19 Griffiths:19 Mitchell:18 Kelly:18 Cook:18 Carter:18 Richardson:17
Bailey:17 Collins:17 Bell:17 Shaw:17 Murphy:17 Miller:16 Cox:16 Richards:16 Marshall:15
Anderson:15 Simpson:15 Ellis:15 Adams:15 Campbell:15 Wilkinson:14 Foster:14 Chapman:14
Mason:14 Webb:14 Rogers:14 Powell:14 Hunt:13 Holmes:13 Mills:13 Owen:13 Palmer:13 Matthews:13
Lloyd:13 Thomson:12 Fisher:12 Barnes:12 Knight:12 Butler:12 Jenkins:12 Lawrence:11 Russell:11
Barker:11 Stevens:11 Murray:11 Dixon:11 Harvey:11 Graham:11 Pearson:11 Fletcher:10 Walsh:10
Gibson:10 Howard:10 Andrews:10 Stewart:10 Elliott:10 Reynolds:10 Saunders:10 Payne:10 Fox:10
Ford:10 Pearce:10 Day:10 Brooks:9 West:9 Lawson:9 Cole:9 Atkinson:9 Bradley:9 Spencer:9
Dawson:9 Ball:9 Burton:9 Watts:9 Rose:9 Booth:9 Perry:9 Ryan:9 O'Brien:8 Grant:8 Wells:8
Armstrong:8 Francis:8 Rees:8 Hayes:8 Hart:8 Hudson:8 Newman:8 Barrett:8 Webster:8 Hunter:8
Gregory:8 Carr:8 Lowe:8 Page:8 Marsh:8 Riley:8 Dunn:8 Woods:8 Parsons:8 Berry:8 Stone:8
Reid:8 Holland:7 Hawkins:7 Harding:7 Porter:7 Robertson:7 Newton:7 Oliver:7 Reed:7 Kennedy:7
Williamson:7 Bird:7 Gardner:7 Dean:7 Lane:7 Cooke:7 Bates:7 Henderson:7 Parry:7 Burgess:7
Bishop:7 Walton:7 Burns:7 Nicholson:7 Shepherd:7 Ross:7 Cross:7 Long:7 Freeman:7 Warren:7
Nicholls:7 Hamilton:7 Byrne:6 Sutton:6 McDonald:6 Yates:6 Hodgson:6 Robson:6 Curtis:6
Hopkins:6 O'Connor:6 Harper:6 Coleman:6 Watkins:6 Moss:6 McCarthy:6 Chambers:6 O'Neill:6
Griffin:6 Sharp:6 Hardy:6 Wheeler:6 Potter:6 Osborne:6 Johnston:6 Gordon:6 Doyle:6 Wallace:6
George:6 Jordan:6 Hutchinson:6 Rowe:6 Burke:6 May:6 Pritchard:5 Gilbert:5 Willis:5 Higgins:5
Read:5 Miles:5 Stevenson:5 Stephenson:5 Hammond:5 Arnold:5 Buckley:5 Walters:5 Hewitt:5
Barber:5 Nelson:5 Slater:5 Austin:5 Sullivan:5 Whitehead:5 Mann:5 Frost:5 Lambert:5
Stephens:5 Blake:5 Lynch:5 Goodwin:5 Barton:5 Woodward:5 Bowen:4 Fraser:4 Cameron:4
McKenzie:3 MacDonald:3 Sinclair:3 Pugh:3 Vaughan:3 Llewellyn:2 MacLeod:2 Howells:2
Campbell-Smith:1 Lloyd-Jones:1
""")
IRISH_GIRLS = weighted("""
Niamh:8 Aoife:8 Saoirse:6 Róisín:5 Ciara:6 Orla:6 Caoimhe:4 Siobhán:4 Sinéad:3 Mary:6
Bridget:4 Margaret:4 Kathleen:4 Gráinne:2 Emily:5 Grace:6 Ellie:5 Kayleigh:3 Shauna:3
Chloe:4 Tiffany:2 Jessica:3
""")
IRISH_BOYS = weighted("""
Seán:8 Ciarán:6 Patrick:8 Michael:8 John:8 Conor:6 Cian:5 Oisín:4 Darragh:4 Liam:5 Eoin:4
Pádraig:3 Declan:4 Aidan:4 Martin:5 Tommy:4 Johnny:4 Jimmy:3 Paddy:2 Kieran:3 Dylan:3 Jack:4
""")
IRISH_SURNAMES = weighted("""
Murphy:12 Kelly:10 O'Sullivan:8 Walsh:8 O'Brien:8 Byrne:8 Ryan:7 O'Connor:8 O'Neill:7
O'Reilly:6 Doyle:6 McCarthy:6 Gallagher:5 Doherty:6 Kennedy:5 Lynch:5 Murray:5 Quinn:5
McLoughlin:4 Connolly:4 Daly:4 O'Connell:4 Ward:8 McDonagh:6 Joyce:5 Connors:5 Stokes:4
Maughan:3 Casey:4 McGinley:2 Fitzgerald:4 Brennan:4 Keane:3 Flanagan:3
""")
PAKISTANI_GIRLS = weighted("""
Fatima:14 Aisha:12 Maryam:12 Zainab:10 Hafsa:8 Zara:8 Ayesha:8 Khadija:7 Amina:7 Inaya:6
Sana:6 Eman:5 Mariam:5 Aleena:5 Anaya:5 Nadia:5 Noor:5 Yasmin:5 Hania:4 Saima:4 Shazia:4
Sadia:4 Iqra:4 Amna:4 Rukhsana:3 Nasreen:3 Samina:3 Mehwish:3 Hira:3 Kiran:3 Bushra:3
Shabana:3 Safa:3 Sumaya:3 Tahira:2 Hannah:2 Amira:2
""")
PAKISTANI_BOYS = weighted("""
Muhammad:50 Mohammed:30 Mohammad:8 Ali:12 Ahmed:10 Hamza:10 Ibrahim:10 Yusuf:8 Usman:8
Zain:8 Bilal:7 Ayaan:7 Umar:7 Rayyan:6 Abdullah:6 Hassan:6 Imran:6 Hussain:5 Asif:5 Adnan:5
Adam:5 Tariq:4 Kamran:4 Faisal:4 Shahid:4 Musa:4 Abdul:4 Zubair:3 Haroon:3 Arslan:3 Saad:3
Zakariya:3 Waqas:3 Naveed:3 Amir:3 Eesa:2 Idris:2 Aryan:2 Aliyan:2
""")
PAKISTANI_SURNAMES = weighted("""
Khan:60 Ahmed:30 Ali:30 Hussain:28 Iqbal:12 Mahmood:12 Malik:12 Akhtar:8 Shah:10 Butt:8
Chaudhry:8 Rashid:6 Aslam:6 Qureshi:6 Rehman:6 Sheikh:6 Mohammed:6 Mirza:5 Raza:5 Riaz:5
Javed:5 Anwar:5 Nawaz:5 Bashir:5 Rafiq:5 Arshad:5 Hassan:5 Ashraf:5 Siddiqui:4 Sadiq:4
Hanif:4 Younis:4 Saleem:4 Yousaf:4 Zaman:4 Latif:4 Aziz:4 Karim:3
""")
PAKISTANI_WIFE_SURNAMES = weighted("Bibi:10 Begum:8 Akhtar:6 Kausar:4 Parveen:4 Nasreen:2 Kauser:2")
BANGLADESHI_GIRLS = weighted("""
Fatima:10 Ayesha:8 Maryam:8 Aisha:6 Zainab:6 Sumaiya:6 Tasnim:5 Salma:5 Halima:5 Safiya:5
Khadija:5 Nusrat:4 Shirin:4 Ruksana:4 Rahima:4 Taslima:4 Jasmin:4 Sabina:4 Inaya:4 Amira:4
Anisa:4 Sadia:4 Farzana:4 Hasina:3 Nazia:3 Tahmina:3 Sharmin:3 Rima:3 Nabila:3 Mim:2
""")
BANGLADESHI_BOYS = weighted("""
Mohammed:30 Muhammad:25 Abdul:10 Mohammad:8 Ayaan:6 Ibrahim:6 Yusuf:6 Rayan:6 Zayan:5
Ismail:5 Hamza:5 Syed:5 Abu:4 Shahid:4 Jamal:4 Kamal:4 Abdul_Rahman:4 Imran:4 Adam:4
Sultan:3 Shafiq:3 Mizanur:3 Habibur:3 Anwar:3 Tanvir:3 Rahim:3 Zakaria:3 Yahya:3 Nazrul:2
Mahfuz:2
""")
BANGLADESHI_SURNAMES = weighted("""
Ahmed:25 Rahman:25 Uddin:20 Miah:20 Ali:20 Hussain:15 Islam:15 Chowdhury:10 Khan:10 Hoque:8
Alam:8 Hossain:8 Haque:6 Ullah:6 Choudhury:5 Akhtar:4 Karim:4 Siddique:4 Rashid:4 Amin:4
Mia:3 Sheikh:3 Talukder:3 Bhuiyan:3 Sarkar:3
""")
BANGLADESHI_WIFE_SURNAMES = weighted("""
Begum:40 Khatun:15 Akter:10 Sultana:6 Akhtar:5 Bibi:5 Khanom:4 Nessa:3 Parveen:3
""")
INDIAN_GIRLS = weighted("""
Priya:8 Anjali:6 Pooja:6 Neha:5 Divya:5 Riya:6 Ananya:5 Aanya:5 Diya:5 Isha:5 Meera:4
Sita:2 Kavita:4 Sunita:3 Nisha:5 Asha:3 Shreya:4 Kajal:3 Hema:3 Bhavna:3 Krupa:2 Janki:2
""")
INDIAN_BOYS = weighted("""
Arjun:7 Rohan:6 Aarav:6 Vihaan:5 Krish:5 Aryan:5 Dev:4 Rahul:6 Amit:5 Sanjay:4 Vijay:4 Raj:4
Nikhil:4 Rajesh:4 Sunil:4 Anil:3 Ravi:4 Harish:3 Kiran:3 Sai:3 Ishaan:4 Veer:3 Hitesh:3
Jignesh:2 Mahesh:3 Dinesh:3
""")
INDIAN_SURNAMES = weighted("""
Patel:60 Sharma:10 Shah:10 Kumar:10 Mistry:8 Parmar:8 Solanki:5 Chauhan:5 Joshi:5 Gupta:5
Mehta:5 Desai:4 Chavda:3 Rana:3 Pandya:3 Makwana:3 Vaghela:3 Nair:3 Lad:2 Naidu:2 Pillai:2
Reddy:2 Rao:2 Varma:2 Iyer:2 Gohil:2
""")
SIKH_GIRLS = weighted("""
Harpreet:6 Manpreet:6 Jaspreet:5 Gurpreet:5 Simran:6 Navneet:4 Amandeep:4 Rajinder:3
Kiranjit:3 Jasmeet:4 Harleen:4 Ravneet:3 Parveen:3 Sukhpreet:3 Amrit:3 Gurleen:3 Jasleen:3
""")
SIKH_BOYS = weighted("""
Gurpreet:5 Harpreet:5 Jaswinder:4 Manpreet:5 Amarjit:4 Sukhdev:3 Harjit:4 Jasdeep:4 Arjan:4
Jasraj:3 Ranveer:3 Kulwinder:3 Balwinder:3 Gurdeep:3 Amrit:3 Harvinder:3 Jaskaran:3 Ekam:2
""")
SIKH_SURNAMES = weighted("""
Gill:10 Sandhu:10 Sidhu:8 Dhillon:8 Bains:6 Johal:5 Grewal:5 Dhaliwal:5 Kang:5 Sahota:4
Atwal:4 Mann:4 Rai:4 Bhogal:3 Virdi:3 Hayer:3 Chahal:3 Bassi:3 Singh:6
""")
ARAB_GIRLS = weighted("""
Fatima:8 Mariam:6 Maryam:5 Aya:6 Noor:6 Sara:6 Layla:5 Aisha:5 Nour:4 Rania:4 Yasmin:4
Amira:4 Zainab:4 Lina:4 Reem:4 Salma:4 Jana:4 Leila:3 Sarah:3 Hala:3 Huda:3 Hiba:3 Dina:3
Rana:3 Asmaa:3 Malak:3 Khadija:3 Amal:3 Heba:2 Lujain:2 Rahaf:2 Shahad:2 Ruqayya:2 Samira:2
""")
ARAB_BOYS = weighted("""
Mohammed:20 Mohamed:10 Ahmed:10 Muhammad:8 Ali:8 Omar:8 Yousef:6 Ahmad:6 Ibrahim:6
Abdullah:6 Khaled:5 Khalid:5 Hassan:5 Hussein:5 Mustafa:5 Youssef:4 Abdul_Rahman:4 Mahmoud:4
Hamza:4 Adam:4 Karim:4 Zaid:4 Abdulrahman:3 Tariq:3 Samir:3 Sami:3 Amir:3 Yahya:3 Anas:3
Bilal:3 Faisal:3 Rami:3 Majed:2 Walid:2 Jamal:2 Nabil:2 Saleh:2 Fadi:2 Ayman:2
""")
ARAB_SURNAMES = weighted("""
Ali:10 Hassan:10 Hussein:8 Ahmed:8 Mohammed:8 Mohamed:6 Abdullah:6 Ibrahim:6 Saleh:6 Khalil:5
Mansour:5 Mahmoud:5 Abbas:5 Haddad:4 Nasser:4 Othman:4 Al-Ali:4 Suleiman:4 Aziz:4 Omar:4
Youssef:4 Al-Hassan:3 Al-Najjar:3 Al-Sayed:3 Jaber:3 Hamdan:3 Salem:3 Kareem:3 Darwish:3
Qasim:3 Hamid:3 Al-Masri:2 Al-Hamad:2 Al-Khatib:2
""")
AFGHAN_GIRLS = weighted("""
Fatima:6 Zahra:6 Maryam:5 Marzia:3 Mursal:3 Parwana:3 Nargis:3 Shabnam:3 Farzana:3 Madina:3
Sakina:3 Zainab:3 Roya:3 Mina:3 Sahar:3 Mahsa:2 Hadia:2 Nazanin:2 Sadaf:2 Zarghona:2 Homa:2
""")
AFGHAN_BOYS = weighted("""
Mohammad:15 Ahmad:10 Ali:6 Abdul:6 Mustafa:5 Hamid:4 Jawad:4 Khalid:4 Farhad:4 Sayed:4
Omid:4 Rahmatullah:3 Hamidullah:3 Wahid:3 Nasir:3 Ehsan:3 Sohail:3 Zabihullah:2 Mujtaba:2
Hasibullah:2 Bilal:2 Idris:2 Yama:1
""")
AFGHAN_SURNAMES = weighted("""
Ahmadi:10 Mohammadi:10 Rahimi:6 Karimi:6 Hakimi:5 Noori:5 Hussaini:5 Ahmadzai:5 Amiri:5
Haidari:5 Sultani:4 Safi:4 Rezaei:4 Jafari:4 Azizi:4 Habibi:4 Nazari:4 Sharifi:4 Nouri:3
Stanikzai:3 Sadat:3 Samadi:3 Wardak:3 Durrani:3 Popal:2
""")
SOMALI_GIRLS = weighted("""
Amina:6 Fatima:6 Hodan:5 Asha:5 Halima:5 Faduma:5 Ayan:5 Hawa:5 Hibo:4 Sahra:4 Deeqa:4
Ifrah:4 Sagal:4 Muna:4 Sumaya:4 Maryan:4 Ubah:3 Nimco:3 Idil:3 Hamdi:3 Samira:3 Safiya:3
Khadra:3 Ilhan:3 Nasra:3 Najma:3 Istahil:2 Zamzam:2
""")
SOMALI_BOYS = weighted("""
Mohamed:20 Abdi:10 Ahmed:10 Ali:8 Abdullahi:8 Hassan:6 Omar:6 Yusuf:6 Abdirahman:6
Ibrahim:5 Abdikarim:4 Hussein:4 Ismail:4 Said:4 Osman:4 Farah:4 Abdirahim:3 Mustafe:3
Khalid:3 Bashir:3 Hamza:3 Liban:3 Guled:3 Mahad:3 Jama:3 Nur:3 Adan:3 Sharmarke:2 Warsame:2
""")
SOMALI_SURNAMES = weighted("""
Mohamed:12 Ahmed:8 Ali:8 Abdi:8 Hassan:6 Omar:5 Yusuf:5 Farah:6 Abdullahi:5 Warsame:4
Jama:4 Nur:4 Osman:4 Hussein:4 Ismail:3 Aden:4 Egal:2 Hirsi:3 Duale:3 Elmi:3 Gure:2
Mohamud:4 Hersi:3
""")
POLISH_GIRLS = weighted("""
Anna:10 Zuzanna:8 Julia:8 Zofia:8 Maja:8 Katarzyna:8 Agnieszka:8 Lena:7 Aleksandra:7
Małgorzata:7 Joanna:7 Magdalena:7 Hanna:6 Alicja:6 Maria:6 Oliwia:6 Wiktoria:6 Natalia:6
Monika:6 Karolina:6 Amelia:5 Ewa:5 Justyna:5 Marta:5 Paulina:5 Weronika:5 Dorota:4 Emilia:4
Patrycja:4 Sylwia:4 Kinga:3 Beata:3 Iwona:3
""")
POLISH_BOYS = weighted("""
Jakub:10 Kacper:10 Tomasz:10 Piotr:10 Szymon:8 Filip:8 Jan:8 Michał:8 Łukasz:8 Paweł:8
Krzysztof:8 Marcin:8 Mateusz:8 Antoni:6 Mikołaj:6 Wojciech:6 Adam:6 Bartosz:6 Kamil:6
Dawid:6 Dominik:5 Aleksander:5 Maciej:5 Oliwer:4 Igor:4 Grzegorz:4 Damian:4 Sebastian:4
Rafał:4 Marek:4 Artur:4 Daniel:4 Patryk:4 Przemysław:3 Zbigniew:2
""")
POLISH_SURNAMES = weighted("""
Nowak:20 Kowalski:15 Wiśniewski:10 Wójcik:10 Kowalczyk:9 Kamiński:9 Lewandowski:9
Zieliński:8 Szymański:8 Woźniak:8 Dąbrowski:7 Kozłowski:6 Jankowski:6 Mazur:6 Kwiatkowski:5
Krawczyk:5 Piotrowski:5 Grabowski:5 Nowakowski:4 Pawłowski:4 Michalski:4 Król:4 Wieczorek:4
Jabłoński:4 Wróbel:4 Majewski:3 Olszewski:3 Stępień:3 Malinowski:3 Jaworski:3 Adamczyk:3
Dudek:3 Nowicki:3 Pawlak:3 Górski:3 Sikora:3 Walczak:3 Rutkowski:3 Baran:3 Zając:3
Szewczyk:3 Ostrowski:3 Tomaszewski:3 Zalewski:2 Wróblewski:2 Pietrzak:2 Jasiński:2
""")
ROMANIAN_GIRLS = weighted("""
Maria:10 Elena:8 Ioana:8 Andreea:7 Alexandra:6 Ana:6 Mădălina:5 Denisa:5 Gabriela:5
Mihaela:5 Cristina:5 Alina:5 Florentina:4 Daniela:4 Georgiana:4 Roxana:4 Bianca:4 Larisa:4
Nicoleta:4 Sara:4 Ionela:3 Simona:3 Antonia:3 Florina:3 Rebeca:3 Ecaterina:2 Violeta:2
Luminița:2 Miruna:2
""")
ROMANIAN_BOYS = weighted("""
Andrei:10 Alexandru:10 Mihai:8 Ionuț:6 Ion:6 Gabriel:6 Ștefan:6 Marius:6 Daniel:6
Cristian:6 Florin:5 Adrian:5 Constantin:5 Bogdan:5 David:5 Luca:5 Gheorghe:4 Vasile:4
Nicolae:4 Denis:4 Robert:4 Dumitru:3 Claudiu:3 Mario:3 Sorin:3 Valentin:3 Cosmin:3
Ciprian:3 Alin:3 Răzvan:3 Costel:2 Fănel:1
""")
ROMANIAN_SURNAMES = weighted("""
Popescu:8 Popa:8 Pop:6 Radu:6 Dumitru:6 Ionescu:5 Stan:5 Stoica:5 Gheorghe:5 Ciobanu:5
Rusu:5 Munteanu:5 Constantin:5 Matei:4 Lăcătuș:4 Moldovan:4 Mihai:4 Căldăraru:3 Ene:3
Dinu:3 Nistor:3 Lupu:3 Toma:3 Marin:3 Ilie:3 Florea:3 Anghel:3 Sandu:3 Badea:3 Tudor:3
Oprea:3 Barbu:3 Cojocaru:3 Zamfir:2 Șerban:2 Dobre:2 Nedelcu:2 Ursu:2 Stănescu:2
""")
UKRAINIAN_GIRLS = weighted("""
Olena:8 Anastasia:7 Kateryna:7 Yulia:6 Natalia:6 Tetiana:6 Oksana:6 Iryna:6 Sofiia:6
Anna:6 Viktoria:5 Daria:5 Mariia:5 Olha:5 Alina:4 Svitlana:4 Polina:4 Khrystyna:3 Yana:3
Valentyna:2 Liudmyla:2
""")
UKRAINIAN_BOYS = weighted("""
Oleksandr:10 Dmytro:8 Andriy:7 Maksym:7 Serhiy:6 Ivan:6 Artem:6 Mykola:5 Bohdan:5
Volodymyr:5 Yevhen:4 Vladyslav:4 Denys:4 Yuriy:4 Oleh:4 Roman:4 Danylo:4 Ihor:4 Taras:3
Vitaliy:3 Mark:3 Matviy:3
""")
UKRAINIAN_SURNAMES = weighted("""
Shevchenko:8 Kovalenko:6 Bondarenko:6 Melnyk:6 Tkachenko:5 Kravchenko:5 Boyko:5 Koval:5
Oliinyk:4 Shevchuk:4 Polishchuk:4 Lysenko:4 Marchenko:4 Kovalchuk:4 Savchenko:3 Rudenko:3
Moroz:3 Petrenko:3 Ivanov:3 Popov:2 Kuznetsov:2 Kovalskyi:2
""")
LITHUANIAN_GIRLS = weighted("""
Emilija:5 Gabija:5 Rūta:5 Laura:5 Ieva:5 Ugnė:4 Austėja:4 Kamilė:4 Jurgita:4 Inga:4 Agnė:4
Eglė:4 Simona:4 Greta:4 Rasa:3 Vaida:3 Milda:3 Aistė:3
""")
LITHUANIAN_BOYS = weighted("""
Tomas:7 Lukas:6 Jonas:6 Mantas:6 Darius:6 Matas:5 Marius:5 Andrius:5 Paulius:4 Justas:4
Dominykas:4 Nojus:4 Vytautas:4 Rokas:4 Kajus:3 Arnas:3 Gytis:3 Karolis:3
""")
LITHUANIAN_SURNAMES = weighted("""
Kazlauskas:6 Jankauskas:5 Petrauskas:5 Stankevičius:5 Vasiliauskas:4 Žukauskas:4 Butkus:4
Paulauskas:4 Urbonas:4 Kavaliauskas:4 Baranauskas:3 Pocius:3 Navickas:3 Sakalauskas:3
Rimkus:3 Juška:2
""")
CZSK_GIRLS = weighted("""
Natália:5 Nikola:5 Simona:4 Veronika:5 Lucia:5 Kristína:4 Petra:4 Monika:4 Zuzana:5 Jana:5
Klaudia:4 Denisa:4 Vanesa:3 Viktória:3 Michaela:4 Andrea:4
""")
CZSK_BOYS = weighted("""
Jakub:5 Tomáš:5 Martin:6 Peter:5 Marek:5 Michal:5 Lukáš:5 Jozef:4 Ján:4 Milan:4 Dávid:4
Patrik:4 Samuel:3 Matej:3 Dominik:4 Roman:3 Ladislav:3 Denis:3
""")
CZSK_SURNAMES = weighted("""
Horváth:8 Baláž:6 Kováč:6 Lakatoš:5 Varga:5 Oláh:5 Novák:5 Tóth:4 Dvořák:4 Gábor:4 Kučera:3
Demeter:3 Rigo:3 Červeňák:3 Ferko:3 Kotlár:3 Bandy:3 Dudi:2
""")
BULGARIAN_GIRLS = weighted("""
Maria:6 Ivana:5 Elena:5 Desislava:4 Gergana:4 Viktoria:4 Nikol:4 Teodora:4 Radostina:3
Yoana:4 Kristina:4 Petya:3 Galya:3 Aleksandra:3
""")
BULGARIAN_BOYS = weighted("""
Georgi:6 Ivan:6 Dimitar:5 Nikolay:5 Aleksandar:5 Martin:4 Hristo:4 Stefan:4 Petar:4 Viktor:3
Kaloyan:3 Yordan:3 Plamen:3
""")
BULGARIAN_SURNAMES = weighted("""
Ivanov:8 Georgiev:6 Dimitrov:6 Petrov:6 Nikolov:5 Hristov:4 Stoyanov:4 Todorov:4 Iliev:3
Vasilev:3 Atanasov:3 Angelov:3 Yordanov:3 Kolev:3 Marinov:3
""")
NIGERIAN_GIRLS = weighted("""
Blessing:6 Precious:6 Favour:5 Grace:5 Esther:5 Joy:5 Chioma:5 Deborah:4 Mercy:4 Chiamaka:4
Ngozi:4 Adaeze:3 Funmilayo:3 Olufunmilayo:3 Oluwatoyin:3 Temitope:3 Folake:3 Yetunde:3
Bukola:3 Abimbola:3 Ifeoma:3 Nneka:3 Amara:3 Tolulope:3 Damilola:3 Peace:3 Patience:3
Adenike:2 Oluwaseun:2 Gift:2 Comfort:2 Victoria:2 Ruth:2 Chinonso:2
""")
NIGERIAN_BOYS = weighted("""
Emmanuel:8 David:6 Daniel:6 Samuel:6 Joshua:5 Michael:5 Victor:4 Chinedu:4 Chukwuemeka:4
Oluwaseun:4 Oluwadamilare:3 Oluwatobiloba:3 Ayodeji:3 Adebayo:3 Olumide:3 Babatunde:3
Ikechukwu:3 Obinna:3 Chidi:3 Ifeanyi:3 Nnamdi:3 Godwin:3 Oluwafemi:3 Tunde:3 Kelechi:2
Uche:2 Kayode:2 Segun:2 Testimony:2 Divine:2 Jeremiah:2 Chinonso:2 Temitope:2 Ebuka:2
""")
NIGERIAN_SURNAMES = weighted("""
Okafor:6 Okonkwo:5 Adeyemi:5 Adebayo:5 Eze:5 Okoro:4 Nwosu:4 Afolabi:4 Balogun:4 Obi:4
Okeke:4 Ogunleye:3 Olawale:3 Oladipo:3 Ibrahim:3 Nwachukwu:3 Ogundipe:3 Akinola:3 Adeleke:3
Chukwu:3 Ojo:3 Bello:3 Alabi:3 Okoye:3 Lawal:3 Williams:3 Johnson:3 Oyelaran:2 Ogunbiyi:2
Uzoma:2 Oyewole:2 Ezeh:2 Onyeka:2 Agbaje:2 Babatunde:2 Oyedepo:2
""")
GHANAIAN_GIRLS = weighted("""
Abigail:5 Priscilla:4 Gifty:4 Mavis:3 Esther:4 Vida:3 Comfort:3 Doris:3 Gloria:3 Rita:3
Linda:3 Jennifer:3 Sandra:3 Elizabeth:3 Mabel:2 Eunice:3 Felicia:3 Nana:3 Princess:3
""")
GHANAIAN_BOYS = weighted("""
Emmanuel:6 Michael:5 Daniel:5 Samuel:5 Isaac:4 Joseph:4 Richard:4 Prince:4 Kelvin:3 Nana:3
Eric:3 Stephen:3 Ebenezer:3 Francis:3 Bernard:3 Felix:2 Godfred:2
""")
GHANAIAN_SURNAMES = weighted("""
Mensah:10 Owusu:8 Boateng:8 Osei:7 Asante:6 Appiah:6 Agyeman:5 Amoah:5 Acheampong:4 Addo:4
Ansah:4 Darko:4 Ofori:4 Opoku:4 Sarpong:4 Adjei:4 Frimpong:4 Tetteh:4 Yeboah:4 Asamoah:3
Antwi:3 Quaye:3 Quartey:3 Annan:3 Baidoo:3 Amponsah:3 Gyamfi:3 Bonsu:3 Oduro:3 Nkrumah:2
Danquah:2 Kyei:2
""")
# Akan day names by weekday of birth (Monday first): (male, female).
AKAN_DAY_NAMES = (
    ("Kwadwo", "Adwoa"),
    ("Kwabena", "Abena"),
    ("Kwaku", "Akua"),
    ("Yaw", "Yaa"),
    ("Kofi", "Afua"),
    ("Kwame", "Ama"),
    ("Kwasi", "Akosua"),
)
CHINESE_GIRLS = weighted("""
Xinyi:4 Jiahui:4 Mei:4 Ling:4 Jing:4 Yuting:3 Zihan:3 Siyu:3 Yiting:3 Xiaoyu:3 Hui:3 Yan:3
Wing_Yan:2 Hoi_Yan:2 Ka_Man:2
""")
CHINESE_BOYS = weighted("""
Wei:5 Haoran:4 Yuxuan:4 Ming:4 Hao:3 Zihan:3 Junjie:3 Jian:3 Jun:3 Yichen:3 Zhiwei:3
Tianyi:3 Jiahao:3 Ka_Ho:2 Chi_Wing:2
""")
CHINESE_SURNAMES = weighted("""
Wang:10 Li:10 Zhang:9 Liu:7 Chen:7 Chan:8 Wong:8 Yang:5 Huang:4 Zhao:4 Wu:4 Zhou:4 Lee:6
Cheung:5 Lau:5 Leung:5 Ng:4 Lam:4 Xu:3 Sun:3 Ma:3 Zhu:3 Hu:3 Lin:3 Ho:3 Yeung:3 Tang:3
Chow:3 Guo:2 He:2 Gao:2 Luo:2 Tsang:2 Chiu:2 Kwok:2 Yip:2 Fung:2 Mak:2 Poon:2
""")
ENGLISH_NAMES_WOMEN = weighted("""
Amy:4 Cindy:3 Grace:3 Emily:3 Vivian:3 Joyce:2 Crystal:2 Angela:3 Helen:3 Jenny:3 Lily:3
Kelly:2 Winnie:2 Gloria:1
""")
ENGLISH_NAMES_MEN = weighted("""
Kevin:4 Jason:3 Eric:3 Tony:3 Andy:3 Jacky:2 Vincent:3 Alan:2 Michael:3 Peter:3 Johnny:2
Ken:2 Sam:2 David:3
""")
VIETNAMESE_GIRLS = weighted("""
Linh:5 Anh:4 Hương:4 Lan:4 Mai:4 Thảo:4 Trang:4 Phương:4 Hoa:3 Ngọc:3 Hà:3 Hằng:3 Nhung:3
Vy:3 My:3 Thủy:3 Yến:3 Chi:3 Nga:2
""")
VIETNAMESE_BOYS = weighted("""
Minh:5 Anh:4 Tuấn:4 Hùng:4 Nam:4 Huy:4 Dũng:3 Hải:3 Long:3 Quang:3 Khánh:3 Phúc:3 Bảo:3
Đạt:3 Sơn:3 Thắng:2 Trung:2 Việt:2 Khoa:2
""")
VIETNAMESE_SURNAMES = weighted("""
Nguyễn:30 Trần:10 Lê:8 Phạm:7 Hoàng:4 Huỳnh:4 Phan:3 Vũ:3 Võ:3 Đặng:2 Bùi:2 Đỗ:2 Hồ:2
Ngô:2 Dương:2 Lý:1
""")
VIETNAMESE_MIDDLE_MEN = weighted("Văn:8 Đức:2 Minh:2 Quốc:1 Hữu:1 Thanh:1")
VIETNAMESE_MIDDLE_WOMEN = weighted("Thị:8 Ngọc:2 Thu:1 Thanh:1 Kim:1 Hồng:1")


# Twins given near names: (name, sex, name, sex).
TWIN_NAMES_WESTERN = (
    ("Jayden", "male", "Jaden", "male"),
    ("Ellie", "female", "Millie", "female"),
    ("Harry", "male", "Harvey", "male"),
    ("Amelia", "female", "Amelie", "female"),
    ("Isla", "female", "Ella", "female"),
    ("Lily", "female", "Lola", "female"),
    ("Leo", "male", "Theo", "male"),
    ("Mia", "female", "Maya", "female"),
    ("Ava", "female", "Eva", "female"),
    ("Jack", "male", "Jake", "male"),
    ("Aiden", "male", "Jayden", "male"),
    ("Ruby", "female", "Rosie", "female"),
    ("Oliver", "male", "Olivia", "female"),
    ("Tyler", "male", "Taylor", "female"),
    ("Evie", "female", "Ellie", "female"),
    ("Maisie", "female", "Daisy", "female"),
    ("Poppy", "female", "Polly", "female"),
    ("Alfie", "male", "Archie", "male"),
    ("Mason", "male", "Jason", "male"),
    ("Lacey", "female", "Gracie", "female"),
)
TWIN_NAMES_MUSLIM = (
    ("Hassan", "male", "Hussain", "male"),
    ("Hasan", "male", "Husain", "male"),
    ("Amina", "female", "Amira", "female"),
    ("Zara", "female", "Zainab", "female"),
    ("Ayaan", "male", "Rayyan", "male"),
    ("Zayan", "male", "Rayan", "male"),
    ("Inaya", "female", "Anaya", "female"),
    ("Ali", "male", "Aliyan", "male"),
    ("Ibrahim", "male", "Ismail", "male"),
)
