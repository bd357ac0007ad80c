exec(open('student_to_normal.py').read().split("us = [")[0])
out=[]
for nu in ['0.5','1','1.5','2','3','5.5','30','1000000']:
    nm=mp.mpf(nu)
    for us_ in ['1e-300','1e-100','1e-20','1e-7','0.01','0.3']:
        try: tm=tquant_lower(mp.mpf(us_), nm)
        except Exception: continue
        if abs(tm) > mp.mpf('1e300'): continue
        out.append(f"({nu}, {us_}, {mp.nstr(tm,22)}),")
open('student_quantile.txt','w').write("\n".join(out)+"\n"); print(len(out))
